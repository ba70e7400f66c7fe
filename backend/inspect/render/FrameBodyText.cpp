#include "inspect/FrameBodyText.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QStringDecoder>

namespace sb::inspect {

using protocol::TrafficFrame;

QString FrameBodyText::render(const QByteArray &body, View view, QString *kind)
{
    QString ignored;
    if (!kind)
        kind = &ignored;
    if (body.isEmpty()) {
        *kind = QStringLiteral("empty");
        return {};
    }
    if (view == View::Hex) {
        *kind = QStringLiteral("hex");
        return hexDump(body);
    }
    QStringDecoder decoder(
        QStringDecoder::Utf8, QStringDecoder::Flag::Stateless); // a cut sequence at the end is an error too
    const QString text = decoder.decode(body);
    const bool utf8 = !decoder.hasError() && !text.contains(QChar(0));
    if (view == View::Auto) {
        QJsonParseError error;
        const QJsonDocument json = QJsonDocument::fromJson(body, &error);
        if (error.error == QJsonParseError::NoError && (json.isObject() || json.isArray())) {
            *kind = QStringLiteral("JSON");
            return QString::fromUtf8(json.toJson(QJsonDocument::Indented)).trimmed();
        }
        if (!utf8) {
            *kind = QStringLiteral("binary, as hex");
            return hexDump(body);
        }
    }
    *kind = utf8 ? QStringLiteral("text") : QStringLiteral("text (not valid UTF-8)");
    return text;
}

QString FrameBodyText::hexDump(const QByteArray &bytes, qsizetype maxBytes)
{
    QString out;
    const qsizetype shown = qMin(bytes.size(), maxBytes);
    for (qsizetype offset = 0; offset < shown; offset += 16) {
        const QByteArray line = bytes.mid(offset, qMin<qsizetype>(16, shown - offset));
        QString hex, ascii;
        for (qsizetype i = 0; i < 16; ++i) {
            if (i < line.size()) {
                const auto byte = quint8(line[i]);
                hex += QStringLiteral("%1 ").arg(byte, 2, 16, QLatin1Char('0'));
                ascii += byte >= 0x20 && byte < 0x7f ? QChar(char16_t(byte)) : QChar(u'.');
            } else {
                hex += QStringLiteral("   ");
            }
            if (i == 7)
                hex += u' ';
        }
        out += QStringLiteral("%1  %2 %3\n").arg(offset, 8, 16, QLatin1Char('0')).arg(hex, ascii);
    }
    if (shown < bytes.size())
        out += QStringLiteral("… %1 more bytes\n").arg(bytes.size() - shown);
    return out;
}

QString FrameBodyText::frameAsText(const TrafficFrame &frame)
{
    QString text
        = QStringLiteral("%1 %2 %3 %4 %5 %6 user=%7 session=%8 message-id=%9")
              .arg(QDateTime::fromMSecsSinceEpoch(frame.tsMs).toString(Qt::ISODateWithMs), frame.source,
                  TrafficFrame::transportName(frame.transport), TrafficFrame::directionName(frame.direction),
                  frame.command, frame.destination, frame.user, frame.session, frame.messageId)
        + QStringLiteral(" bytes=") + QString::number(frame.bytes) + u'\n';
    for (const auto &[name, value] : frame.headers())
        text += name + QStringLiteral(": ") + value + u'\n';
    text += u'\n' + render(frame.body, View::Auto) + u'\n';
    return text;
}

} // namespace sb::inspect
