#include "models/RecordingSampleTrim.h"

#include <QJsonArray>

namespace sb::models {

QJsonObject RecordingSampleTrim::trimmed(QJsonObject state)
{
    const auto traffic = state.constFind(QStringLiteral("traffic"));
    if (traffic == state.constEnd() || !traffic->isObject())
        return state;
    QJsonObject area = traffic->toObject();
    QJsonArray rows = area.value(QStringLiteral("rows")).toArray();
    for (qsizetype i = 0; i < rows.size(); ++i) {
        QJsonObject row = rows.at(i).toObject();
        row.remove(QStringLiteral("body"));
        row.remove(QStringLiteral("headers"));
        rows.replace(i, row);
    }
    if (area.contains(QStringLiteral("rows")))
        area.insert(QStringLiteral("rows"), rows);
    area.remove(QStringLiteral("trace"));
    state.insert(QStringLiteral("traffic"), area);
    return state;
}

} // namespace sb::models
