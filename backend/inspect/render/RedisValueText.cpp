#include "inspect/RedisValueText.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace sb::inspect {

QString RedisValueText::shown(const QByteArray &bytes)
{
    const QString text = QString::fromUtf8(bytes);
    if (!text.contains(QChar::ReplacementCharacter))
        return text;
    QString escaped;
    for (const char c : bytes) {
        const auto u = static_cast<unsigned char>(c);
        escaped += (u >= 0x20 && u < 0x7f) ? QString(QLatin1Char(c))
                                           : u"\\x" + QString::number(u, 16).rightJustified(2, u'0');
    }
    return escaped;
}

QString RedisValueText::prettyJson(const QByteArray &text)
{
    const QByteArray trimmed = text.trimmed();
    if (!trimmed.startsWith('{') && !trimmed.startsWith('['))
        return {};
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(trimmed, &error);
    if (error.error != QJsonParseError::NoError)
        return {};
    return QString::fromUtf8(document.toJson(QJsonDocument::Indented));
}

QString RedisValueText::stringValue(const QByteArray &bytes)
{
    const QString pretty = prettyJson(bytes);
    return pretty.isEmpty() ? shown(bytes) : pretty;
}

} // namespace sb::inspect
