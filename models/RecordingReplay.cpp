#include "models/RecordingReplay.h"

#include "models/SeriesHistory.h"
#include "protocol/TapFrameCodec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <algorithm>

namespace sb::models {

namespace {
// A displayed figure back to a number: "1,234" → 1234, "—" (unknown) → nullopt.
std::optional<double> displayedNumber(const QJsonValue &value)
{
    if (value.isDouble())
        return value.toDouble();
    QString text = value.toString();
    text.remove(u',').remove(u' ').remove(QChar(0x202F)).remove(QChar(0x00A0));
    bool ok = false;
    const double number = text.toDouble(&ok);
    return ok ? std::optional<double>(number) : std::nullopt;
}
} // namespace

RecordingReplay::RecordingReplay(RecordingStore recording)
    : m_recording(std::move(recording))
{ }

int RecordingReplay::sampleIndexAt(const QDateTime &at) const
{
    const auto &samples = m_recording.samples();
    if (samples.isEmpty())
        return -1;
    // Samples are in time order (appended as taken): the first one after `at`, minus one.
    const auto after = std::upper_bound(samples.cbegin(), samples.cend(), at,
        [](const QDateTime &t, const RecordingStore::Sample &s) { return t < s.at; });
    return qMax(0, int(after - samples.cbegin()) - 1);
}

QString RecordingReplay::target() const
{
    for (const RecordingStore::Sample &sample : m_recording.samples()) {
        const QString target = sample.state.value(QStringLiteral("attachment"))
                                   .toObject()
                                   .value(QStringLiteral("target"))
                                   .toString();
        if (!target.isEmpty())
            return target;
    }
    return QStringLiteral("an unnamed cluster");
}

void RecordingReplay::fillReplicaConnections(SeriesHistory *history) const
{
    for (const RecordingStore::Sample &sample : m_recording.samples()) {
        const qint64 atMs = sample.at.toMSecsSinceEpoch();
        const QJsonArray replicas = sample.state.value(QStringLiteral("replicas"))
                                        .toObject()
                                        .value(QStringLiteral("replicaStates"))
                                        .toArray();
        double total = 0;
        for (const QJsonValue &value : replicas) {
            const QJsonObject replica = value.toObject();
            const QString state = replica.value(QStringLiteral("state")).toString();
            const bool down = state == u"down" || state == u"left"; // gone: no connection
            const QJsonValue connections = replica.value(QStringLiteral("connections"));
            if (!down && connections.isNull())
                continue; // no source counted them: no point, as live
            const double count = down ? 0 : connections.toDouble();
            history->append(replica.value(QStringLiteral("id")).toString(), atMs, count);
            total += count;
        }
        if (!replicas.isEmpty())
            history->appendTotal(atMs, total);
    }
}

void RecordingReplay::fillGroupLag(SeriesHistory *history) const
{
    for (const RecordingStore::Sample &sample : m_recording.samples()) {
        const qint64 atMs = sample.at.toMSecsSinceEpoch();
        const QJsonArray groups = sample.state.value(QStringLiteral("kafka"))
                                      .toObject()
                                      .value(QStringLiteral("groups"))
                                      .toArray();
        double total = 0;
        bool any = false;
        for (const QJsonValue &value : groups) {
            const QJsonObject group = value.toObject();
            const auto lag = displayedNumber(group.value(QStringLiteral("Lag")));
            if (!lag)
                continue;
            history->append(group.value(QStringLiteral("Group")).toString(), atMs, *lag);
            total += *lag;
            any = true;
        }
        if (any)
            history->appendTotal(atMs, total);
    }
}

void RecordingReplay::fillSessionCounts(SeriesHistory *history) const
{
    for (const RecordingStore::Sample &sample : m_recording.samples()) {
        const QJsonObject figures = sample.state.value(QStringLiteral("redis"))
                                        .toObject()
                                        .value(QStringLiteral("figures"))
                                        .toObject();
        const qint64 atMs = sample.at.toMSecsSinceEpoch();
        for (const QString &series : { QStringLiteral("sessions"), QStringLiteral("tokens") }) {
            if (const auto count = displayedNumber(figures.value(series)))
                history->append(series, atMs, *count);
        }
    }
}

void RecordingReplay::fillFrameRates(SeriesHistory *history) const
{
    for (const RecordingStore::Sample &sample : m_recording.samples()) {
        const QJsonObject rates = sample.state.value(QStringLiteral("traffic"))
                                      .toObject()
                                      .value(QStringLiteral("framesPerSecond"))
                                      .toObject();
        const qint64 atMs = sample.at.toMSecsSinceEpoch();
        for (auto it = rates.begin(); it != rates.end(); ++it) {
            if (it.key() == u"total")
                history->appendTotal(atMs, it.value().toDouble());
            else
                history->append(it.key(), atMs, it.value().toDouble());
        }
    }
}

QJsonObject RecordingReplay::trafficSection() const
{
    return m_recording.sections().value(QStringLiteral("traffic")).toObject();
}

bool RecordingReplay::hasRecordedTraffic() const
{
    return trafficSection().value(QStringLiteral("frames")).isArray();
}

qint64 RecordingReplay::omittedFrames() const
{
    return trafficSection().value(QStringLiteral("omitted")).toInteger();
}

QList<protocol::TrafficFrame> RecordingReplay::recordedFrames() const
{
    const QJsonArray encoded = trafficSection().value(QStringLiteral("frames")).toArray();
    QList<protocol::TrafficFrame> frames;
    frames.reserve(encoded.size());
    protocol::TapFrameCodec codec;
    QString error;
    for (const QJsonValue &value : encoded) {
        // The tap format ConsoleTrafficRecording wrote; a frame that does not read is skipped.
        if (auto frame = codec.decode(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact), &error))
            frames.append(std::move(*frame));
    }
    // Saved in capture order, which replicas' clocks may interleave: replay cuts by time.
    std::stable_sort(frames.begin(), frames.end(),
        [](const protocol::TrafficFrame &a, const protocol::TrafficFrame &b) { return a.tsMs < b.tsMs; });
    return frames;
}

std::optional<QDateTime> RecordingReplay::parseAt(const QString &text, QString *error) const
{
    if (m_recording.samples().isEmpty()) {
        *error = QStringLiteral("the recording holds no samples");
        return std::nullopt;
    }
    const QString trimmed = text.trimmed();
    QDateTime at;
    static const QRegularExpression offset(QStringLiteral("^\\+(\\d{1,7})$"));
    static const QRegularExpression timeOfDay(QStringLiteral("^\\d{1,2}:\\d{2}(:\\d{2})?$"));
    if (const auto match = offset.match(trimmed); match.hasMatch()) {
        at = firstAt().addSecs(match.captured(1).toLongLong());
    } else if (timeOfDay.match(trimmed).hasMatch()) {
        const QTime time = QTime::fromString(
            trimmed, trimmed.count(u':') == 2 ? QStringLiteral("H:mm:ss") : QStringLiteral("H:mm"));
        if (time.isValid())
            at = QDateTime(firstAt().toLocalTime().date(), time);
    } else {
        at = QDateTime::fromString(trimmed, Qt::ISODateWithMs);
    }
    if (!at.isValid()) {
        *error = QStringLiteral("'%1' is not a time (ISO 8601, HH:MM[:SS] or +SECONDS from the start)")
                     .arg(text);
        return std::nullopt;
    }
    // A second of slack: a time of day without milliseconds just before the first sample.
    if (at < firstAt().addSecs(-1) || at > lastAt().addSecs(1)) {
        *error
            = QStringLiteral("%1 is outside the recording (%2 to %3)")
                  .arg(at.toLocalTime().toString(Qt::ISODate), firstAt().toLocalTime().toString(Qt::ISODate),
                      lastAt().toLocalTime().toString(Qt::ISODate));
        return std::nullopt;
    }
    return at;
}

} // namespace sb::models
