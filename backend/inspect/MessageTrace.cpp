#include "inspect/MessageTrace.h"

#include <QDateTime>
#include <QJsonArray>

namespace sb::inspect {

QString TraceHop::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Publish: return QStringLiteral("publish");
    case Kind::Stage1: return QStringLiteral("stage 1");
    case Kind::Broadcast: return QStringLiteral("stage 2");
    case Kind::KafkaRecord: return QStringLiteral("kafka record");
    case Kind::RedisMessage: return QStringLiteral("redis pub/sub");
    case Kind::DeliveredStomp: return QStringLiteral("delivered (STOMP)");
    case Kind::DeliveredSse: return QStringLiteral("delivered (SSE)");
    case Kind::Other: break;
    }
    return QStringLiteral("other");
}

QStringList MessageTrace::deliveredSources() const
{
    QStringList sources;
    for (const TraceHop &hop : hops)
        if ((hop.kind == TraceHop::Kind::DeliveredStomp || hop.kind == TraceHop::Kind::DeliveredSse)
            && !sources.contains(hop.source))
            sources.append(hop.source);
    return sources;
}

QJsonObject MessageTrace::toJson() const
{
    QJsonArray hopList;
    for (const TraceHop &hop : hops)
        hopList.append(QJsonObject{{QStringLiteral("replica"), hop.source},
                                {QStringLiteral("kind"), TraceHop::kindName(hop.kind)},
                                {QStringLiteral("transport"), hop.transport},
                                {QStringLiteral("command"), hop.command},
                                {QStringLiteral("destination"), hop.destination},
                                {QStringLiteral("session"), hop.session},
                                {QStringLiteral("user"), hop.user},
                                {QStringLiteral("latencyMs"), hop.latencyMs},
                                {QStringLiteral("time"), QDateTime::fromMSecsSinceEpoch(hop.tsMs, Qt::UTC).toString(Qt::ISODateWithMs)},
                                {QStringLiteral("detail"), hop.detail}});
    QJsonArray missedList;
    for (const MissedSubscriber &m : missed)
        missedList.append(QJsonObject{{QStringLiteral("replica"), m.source},
                                  {QStringLiteral("session"), m.session},
                                  {QStringLiteral("user"), m.user},
                                  {QStringLiteral("transport"), m.transport},
                                  {QStringLiteral("destination"), m.destination},
                                  {QStringLiteral("reason"), m.reason}});
    return QJsonObject{{QStringLiteral("messageId"), messageId},
                       {QStringLiteral("channel"), channel},
                       {QStringLiteral("publishedAt"), publishedMs >= 0
                                                           ? QJsonValue(QDateTime::fromMSecsSinceEpoch(publishedMs, Qt::UTC).toString(Qt::ISODateWithMs))
                                                           : QJsonValue()},
                       {QStringLiteral("hops"), hopList},
                       {QStringLiteral("missed"), missedList},
                       {QStringLiteral("notes"), QJsonArray::fromStringList(notes)}};
}

} // namespace sb::inspect
