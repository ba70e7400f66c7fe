#include "protocol/FaultScript.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <cmath>

namespace sb::protocol {

std::optional<QList<FaultScriptStep>> FaultScript::parse(const QByteArray &json, QString *error)
{
    if (json.size() > kMaxBytes) {
        *error
            = QStringLiteral("the script is too large (%1 bytes, limit %2)").arg(json.size()).arg(kMaxBytes);
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = QStringLiteral("not JSON: %1 at offset %2")
                     .arg(parseError.errorString())
                     .arg(parseError.offset);
        return std::nullopt;
    }
    if (!document.isArray()) {
        *error = QStringLiteral(
            "expected a JSON list of steps [{\"at\": SECONDS, \"action\": NAME, \"args\": {…}}, …]");
        return std::nullopt;
    }
    const QJsonArray steps = document.array();
    if (steps.size() > kMaxSteps) {
        *error = QStringLiteral("too many steps (%1, limit %2)").arg(steps.size()).arg(kMaxSteps);
        return std::nullopt;
    }
    QList<FaultScriptStep> parsed;
    for (qsizetype i = 0; i < steps.size(); ++i) {
        const QString where = QStringLiteral("step %1: ").arg(i + 1);
        if (!steps.at(i).isObject()) {
            *error = where
                + QStringLiteral("expected an object {\"at\": SECONDS, \"action\": NAME, \"args\": {…}}");
            return std::nullopt;
        }
        const QJsonObject step = steps.at(i).toObject();
        for (auto it = step.begin(); it != step.end(); ++it) {
            if (it.key() != u"at" && it.key() != u"action" && it.key() != u"args") {
                *error = where
                    + QStringLiteral("unknown key '%1' (at, action, args)")
                          .arg(it.key().left(FaultRequest::kMaxNameLength));
                return std::nullopt;
            }
        }
        const QJsonValue at = step.value(QStringLiteral("at"));
        const double seconds = at.toDouble(-1);
        if (!at.isDouble() || !std::isfinite(seconds) || seconds < 0 || seconds > kMaxAtSeconds) {
            *error = where + QStringLiteral("\"at\": expected seconds from 0 to %1").arg(kMaxAtSeconds);
            return std::nullopt;
        }
        const QJsonValue action = step.value(QStringLiteral("action"));
        const QJsonValue args = step.value(QStringLiteral("args"));
        if (!action.isString()) {
            *error = where
                + QStringLiteral("\"action\": expected a string (actions: %1)")
                      .arg(FaultRequest::actionNames().join(QStringLiteral(", ")));
            return std::nullopt;
        }
        if (!args.isUndefined() && !args.isNull() && !args.isObject()) {
            *error = where + QStringLiteral("\"args\": expected an object");
            return std::nullopt;
        }
        QString why;
        const auto request = FaultRequest::parse(action.toString(), args.toObject(), &why);
        if (!request) {
            *error = where + why;
            return std::nullopt;
        }
        parsed.append({ seconds, *request });
    }
    std::stable_sort(parsed.begin(), parsed.end(),
        [](const FaultScriptStep &a, const FaultScriptStep &b) { return a.atSeconds < b.atSeconds; });
    return parsed;
}

} // namespace sb::protocol
