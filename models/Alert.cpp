#include "models/Alert.h"

namespace sb::models {

QString Alert::severityName(Severity severity)
{
    switch (severity) {
    case Severity::Info:
        return QStringLiteral("info");
    case Severity::Warning:
        return QStringLiteral("warning");
    case Severity::Critical:
        return QStringLiteral("critical");
    }
    return {};
}

QJsonObject Alert::toJson() const
{
    QJsonObject json {
        { QStringLiteral("rule"), rule },
        { QStringLiteral("subject"), subject },
        { QStringLiteral("severity"), severityName(severity) },
        { QStringLiteral("figure"), figure },
        { QStringLiteral("since"), since.toUTC().toString(Qt::ISODateWithMs) },
        { QStringLiteral("raisedAt"), raisedAt.toUTC().toString(Qt::ISODateWithMs) },
    };
    if (!detail.isEmpty())
        json.insert(QStringLiteral("detail"), detail);
    if (clearedAt.isValid())
        json.insert(QStringLiteral("clearedAt"), clearedAt.toUTC().toString(Qt::ISODateWithMs));
    return json;
}

} // namespace sb::models
