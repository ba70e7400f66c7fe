#include "inspect/TrafficRecording.h"

#include "protocol/TapFrameCodec.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace sb::inspect {

bool TrafficRecording::write(
    QIODevice *device, const Header &header, const FrameSource &frames, QString *error)
{
    const QJsonObject head { { QStringLiteral("format"), QString(kFormat) },
        { QStringLiteral("created"), header.created.toUTC().toString(Qt::ISODateWithMs) },
        { QStringLiteral("origin"), header.origin }, { QStringLiteral("frames"), header.frames } };
    bool ok = device->write(QJsonDocument(head).toJson(QJsonDocument::Compact) + '\n') >= 0;
    frames([&](const protocol::TrafficFrame &frame) {
        ok = ok && device->write(protocol::TapFrameCodec::encode(frame) + '\n') >= 0;
        return ok;
    });
    if (!ok && error)
        *error = device->errorString();
    return ok;
}

bool TrafficRecording::save(
    const QString &path, const Header &header, const FrameSource &frames, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    QString why;
    if (!write(&file, header, frames, &why) || !file.commit()) {
        if (error)
            *error
                = QStringLiteral("cannot write %1: %2").arg(path, why.isEmpty() ? file.errorString() : why);
        return false;
    }
    return true;
}

std::optional<TrafficRecording::Contents> TrafficRecording::read(QIODevice *device, QString *error)
{
    QString ignored;
    if (!error)
        error = &ignored;
    Contents contents;
    protocol::TapFrameCodec codec;
    qint64 lineNumber = 0;
    bool first = true;
    while (!device->atEnd()) {
        QByteArray line = device->readLine(kMaxLineBytes + 1);
        ++lineNumber;
        const bool complete = line.endsWith('\n');
        if (!complete && !device->atEnd()) { // readLine stopped at the size bound, not at a newline
            *error = QStringLiteral("line %1 is longer than %2 bytes: not a traffic capture")
                         .arg(lineNumber)
                         .arg(kMaxLineBytes);
            return std::nullopt;
        }
        line = line.trimmed();
        if (line.isEmpty())
            continue;
        if (first) {
            first = false;
            const QJsonObject object = QJsonDocument::fromJson(line).object();
            if (object.contains(QLatin1String("format"))) {
                if (object.value(QLatin1String("format")).toString() != kFormat) {
                    *error = QStringLiteral("unsupported capture format '%1' (this version reads %2)")
                                 .arg(object.value(QLatin1String("format")).toString(), QString(kFormat));
                    return std::nullopt;
                }
                contents.header.origin = object.value(QLatin1String("origin")).toString();
                contents.header.created = QDateTime::fromString(
                    object.value(QLatin1String("created")).toString(), Qt::ISODateWithMs);
                contents.header.frames = qint64(object.value(QLatin1String("frames")).toDouble());
                continue;
            }
            QString why;
            if (!codec.decode(line, &why) || object.isEmpty()) {
                *error = QStringLiteral("not a Switchboard traffic capture: the first line is neither its "
                                        "header nor a tap frame (%1)")
                             .arg(why.isEmpty() ? QStringLiteral("no fields") : why);
                return std::nullopt;
            }
        }
        QString why;
        auto frame = codec.decode(line, &why);
        if (!frame) {
            if (!complete && device->atEnd()) {
                contents.warning
                    = QStringLiteral("the last line (%1) is cut short: the capture was not finished; "
                                     "%2 frames read before it")
                          .arg(lineNumber)
                          .arg(contents.frames.size());
                break;
            }
            *error = QStringLiteral("line %1: %2").arg(lineNumber).arg(why);
            return std::nullopt;
        }
        if (contents.frames.size() >= kMaxFrames) {
            *error = QStringLiteral("more than %1 frames: split the capture").arg(kMaxFrames);
            return std::nullopt;
        }
        contents.frames.append(std::move(*frame));
    }
    if (first) {
        *error = QStringLiteral("the file is empty");
        return std::nullopt;
    }
    return contents;
}

std::optional<TrafficRecording::Contents> TrafficRecording::load(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("cannot open %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    QString why;
    auto contents = read(&file, &why);
    if (!contents && error)
        *error = QStringLiteral("%1: %2").arg(path, why);
    return contents;
}

} // namespace sb::inspect
