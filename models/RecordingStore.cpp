#include "models/RecordingStore.h"

#include "protocol/Gzip.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

namespace sb::models {

namespace {
// An hour of a 50-replica, 2,000-partition cluster with its traffic is ~82 MB of JSON, 8.6 MB
// gzipped (docs/benchmarks.md, "Recording size"); anything far larger, as a file or once
// decompressed, is not ours.
constexpr qint64 kMaxRecordingBytes = 256LL * 1024 * 1024;

QString recordingMegabytes(qint64 bytes)
{
    return QStringLiteral("%1 MB").arg(double(bytes) / (1024 * 1024), 0, 'f', 1);
}
} // namespace

RecordingStore::RecordingStore(int capacity)
    : m_capacity(qMax(1, capacity))
{ }

void RecordingStore::append(const QDateTime &at, const QJsonObject &state)
{
    if (m_samples.size() >= m_capacity)
        m_samples.removeFirst();
    m_samples.append({ at, state });
}

QJsonObject RecordingStore::toJson() const
{
    QJsonArray samples;
    for (const Sample &sample : m_samples)
        samples.append(QJsonObject { { QStringLiteral("at"), sample.at.toString(Qt::ISODateWithMs) },
            { QStringLiteral("state"), sample.state } });
    return QJsonObject { { QStringLiteral("format"), QLatin1String(kFormat) },
        { QStringLiteral("capacity"), m_capacity }, { QStringLiteral("samples"), samples } };
}

bool RecordingStore::save(
    const QString &path, QString *error, const QJsonObject &extra, const SaveProgress &progress) const
{
    const auto step = [&progress](const QString &what) {
        if (progress)
            progress(what);
    };
    step(QStringLiteral("encoding %1 samples").arg(m_samples.size()));
    QJsonObject json = toJson();
    for (auto it = extra.begin(); it != extra.end(); ++it)
        json.insert(it.key(), it.value());
    QByteArray bytes = QJsonDocument(json).toJson(QJsonDocument::Compact);
    if (path.endsWith(QLatin1String(kCompressedSuffix))) {
        step(QStringLiteral("compressing %1").arg(recordingMegabytes(bytes.size())));
        bytes = protocol::Gzip::compress(bytes);
    }
    step(QStringLiteral("writing %1").arg(recordingMegabytes(bytes.size())));
    QSaveFile file(path);
    if (bytes.isEmpty() || !file.open(QIODevice::WriteOnly) || file.write(bytes) < 0 || !file.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

std::optional<RecordingStore> RecordingStore::fromJson(const QJsonObject &json, QString *error)
{
    if (json.value(QStringLiteral("format")).toString() != QLatin1String(kFormat)) {
        *error = QStringLiteral("not a Switchboard recording (expected format '%1')")
                     .arg(QLatin1String(kFormat));
        return std::nullopt;
    }
    const QJsonArray samples = json.value(QStringLiteral("samples")).toArray();
    RecordingStore store(qMax(int(samples.size()), json.value(QStringLiteral("capacity")).toInt(720)));
    for (const QJsonValue &value : samples) {
        const QJsonObject sample = value.toObject();
        const QDateTime at
            = QDateTime::fromString(sample.value(QStringLiteral("at")).toString(), Qt::ISODateWithMs);
        if (!at.isValid() || !sample.value(QStringLiteral("state")).isObject()) {
            *error = QStringLiteral("sample %1 has no valid time or state").arg(store.m_samples.size() + 1);
            return std::nullopt;
        }
        store.append(at, sample.value(QStringLiteral("state")).toObject());
    }
    for (auto it = json.begin(); it != json.end(); ++it) {
        if (it.key() != u"format" && it.key() != u"capacity" && it.key() != u"samples")
            store.m_sections.insert(it.key(), it.value());
    }
    return store;
}

std::optional<RecordingStore> RecordingStore::load(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot open %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    if (file.size() > kMaxRecordingBytes) {
        *error = QStringLiteral("%1 is larger than %2 MB; not a recording")
                     .arg(path)
                     .arg(kMaxRecordingBytes >> 20);
        return std::nullopt;
    }
    QByteArray bytes = file.readAll();
    // Compressed or not, whatever the name says: a renamed file still opens.
    if (protocol::Gzip::looksCompressed(bytes)) {
        QString why;
        auto decompressed = protocol::Gzip::decompress(bytes, kMaxRecordingBytes, &why);
        if (!decompressed) {
            *error = QStringLiteral("%1: %2; not a recording").arg(path, why);
            return std::nullopt;
        }
        bytes = std::move(*decompressed);
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &parseError);
    if (!document.isObject()) {
        *error = QStringLiteral("%1 is not valid JSON: %2").arg(path, parseError.errorString());
        return std::nullopt;
    }
    return fromJson(document.object(), error);
}

QString RecordingStore::pathWithExtension(const QString &path, bool compressed)
{
    if (path.isEmpty() || QFileInfo(path).fileName().contains(u'.'))
        return path;
    return path + QLatin1String(kExtension)
        + (compressed ? QLatin1String(kCompressedSuffix) : QLatin1String());
}

} // namespace sb::models
