#include "models/AlertThresholds.h"

#include <QStringList>

#include <type_traits>

namespace sb::models {

namespace {
// One table for both directions, so a threshold added to the struct is added once.
template<typename Visit> void forEachThreshold(AlertThresholds &t, Visit visit)
{
    visit(QStringLiteral("raiseAfterSeconds"), t.raiseAfterSeconds);
    visit(QStringLiteral("clearAfterSeconds"), t.clearAfterSeconds);
    visit(QStringLiteral("drainGraceSeconds"), t.drainGraceSeconds);
    visit(QStringLiteral("imbalanceRaise"), t.imbalanceRaise);
    visit(QStringLiteral("imbalanceClear"), t.imbalanceClear);
    visit(QStringLiteral("imbalanceMinConnections"), t.imbalanceMinConnections);
    visit(QStringLiteral("redisLatencyRaiseMs"), t.redisLatencyRaiseMs);
    visit(QStringLiteral("redisLatencyClearMs"), t.redisLatencyClearMs);
    visit(QStringLiteral("counterWindowSeconds"), t.counterWindowSeconds);
    visit(QStringLiteral("deadLettersRaise"), t.deadLettersRaise);
    visit(QStringLiteral("heartbeatTimeoutsRaise"), t.heartbeatTimeoutsRaise);
    visit(QStringLiteral("slowConsumerDropsRaise"), t.slowConsumerDropsRaise);
    visit(QStringLiteral("tapDropsRaise"), t.tapDropsRaise);
}
} // namespace

AlertThresholds AlertThresholds::fromJson(const QJsonObject &json)
{
    AlertThresholds t;
    forEachThreshold(t, [&json](const QString &key, auto &value) {
        const QJsonValue given = json.value(key);
        if (!given.isDouble())
            return; // absent or not a number: the default
        using Value = std::remove_reference_t<decltype(value)>;
        if constexpr (std::is_same_v<Value, double>)
            value = given.toDouble();
        else
            value = given.toInt(value);
    });
    return t;
}

QJsonObject AlertThresholds::toJson() const
{
    QJsonObject json;
    AlertThresholds copy = *this;
    forEachThreshold(copy, [&json](const QString &key, auto &value) { json.insert(key, value); });
    return json;
}

QString AlertThresholds::validationError() const
{
    QStringList problems;
    if (raiseAfterSeconds < 0 || clearAfterSeconds < 0)
        problems << QStringLiteral("hold times cannot be negative");
    if (drainGraceSeconds < 0)
        problems << QStringLiteral("the drain grace cannot be negative");
    if (imbalanceRaise < 1.0 || imbalanceClear > imbalanceRaise)
        problems << QStringLiteral("imbalance: raise at 1.0 or more, clear at or below raise");
    if (redisLatencyClearMs > redisLatencyRaiseMs || redisLatencyClearMs < 0)
        problems << QStringLiteral("Redis latency: clear at or below raise");
    if (counterWindowSeconds < 1)
        problems << QStringLiteral("the counter window is at least 1 s");
    if (deadLettersRaise < 1 || heartbeatTimeoutsRaise < 1 || slowConsumerDropsRaise < 1 || tapDropsRaise < 1)
        problems << QStringLiteral("counter thresholds are at least 1");
    return problems.join(QStringLiteral("; "));
}

} // namespace sb::models
