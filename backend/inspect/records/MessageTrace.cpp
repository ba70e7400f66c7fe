#include "inspect/MessageTrace.h"

#include <QDateTime>
#include <QJsonArray>

namespace sb::inspect {

QString TraceHop::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Publish:
        return QStringLiteral("publish");
    case Kind::Stage1:
        return QStringLiteral("stage 1");
    case Kind::Broadcast:
        return QStringLiteral("stage 2");
    case Kind::KafkaRecord:
        return QStringLiteral("kafka record");
    case Kind::RedisMessage:
        return QStringLiteral("redis pub/sub");
    case Kind::DeliveredStomp:
        return QStringLiteral("delivered (STOMP)");
    case Kind::DeliveredSse:
        return QStringLiteral("delivered (SSE)");
    case Kind::Other:
        break;
    }
    return QStringLiteral("other");
}

QString TraceHop::latencyText() const
{
    if (!latencyKnown())
        return QStringLiteral("?");
    return (latencyMs >= 0 ? QStringLiteral("+") : QString()) + QString::number(latencyMs)
        + QStringLiteral(" ms");
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
        hopList.append(QJsonObject { { QStringLiteral("replica"), hop.source },
            { QStringLiteral("kind"), TraceHop::kindName(hop.kind) },
            { QStringLiteral("transport"), hop.transport }, { QStringLiteral("command"), hop.command },
            { QStringLiteral("destination"), hop.destination }, { QStringLiteral("session"), hop.session },
            { QStringLiteral("user"), hop.user },
            { QStringLiteral("latencyMs"), hop.latencyKnown() ? QJsonValue(hop.latencyMs) : QJsonValue() },
            { QStringLiteral("time"),
                QDateTime::fromMSecsSinceEpoch(hop.tsMs, Qt::UTC).toString(Qt::ISODateWithMs) },
            { QStringLiteral("detail"), hop.detail } });
    QJsonArray missedList;
    for (const MissedSubscriber &m : missed)
        missedList.append(
            QJsonObject { { QStringLiteral("replica"), m.source }, { QStringLiteral("session"), m.session },
                { QStringLiteral("user"), m.user }, { QStringLiteral("transport"), m.transport },
                { QStringLiteral("destination"), m.destination }, { QStringLiteral("reason"), m.reason } });
    return QJsonObject { { QStringLiteral("messageId"), messageId }, { QStringLiteral("channel"), channel },
        { QStringLiteral("publishedAt"),
            publishedMs >= 0
                ? QJsonValue(QDateTime::fromMSecsSinceEpoch(publishedMs, Qt::UTC).toString(Qt::ISODateWithMs))
                : QJsonValue() },
        { QStringLiteral("hops"), hopList }, { QStringLiteral("missed"), missedList },
        { QStringLiteral("notes"), QJsonArray::fromStringList(notes) } };
}

QString MessageTrace::toText() const
{
    if (hops.isEmpty())
        return QStringLiteral("message %1: no frame carries this id\n").arg(messageId);
    const auto time = [](qint64 ms) {
        return QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("HH:mm:ss.zzz"));
    };
    QString text = QStringLiteral("message %1").arg(messageId);
    if (!channel.isEmpty())
        text += QStringLiteral(" · channel %1").arg(channel);
    if (publishedMs >= 0)
        text += QStringLiteral(" · published %1").arg(time(publishedMs));
    text += QStringLiteral(" · delivered on %1\n").arg(deliveredSources().join(QStringLiteral(", ")));
    for (const TraceHop &hop : hops) {
        const QString latency = hop.latencyText();
        // Concatenated, not chained arg(): a "%1" inside a replica id or command stays as it is.
        QString line = QStringLiteral("  ") + latency.leftJustified(9) + QStringLiteral("  ")
            + hop.source.leftJustified(8) + QStringLiteral("  ")
            + TraceHop::kindName(hop.kind).leftJustified(17) + QStringLiteral("  ") + hop.command;
        if (!hop.destination.isEmpty())
            line += u' ' + hop.destination;
        if (!hop.user.isEmpty())
            line += QStringLiteral(" user=") + hop.user;
        if (!hop.session.isEmpty())
            line += QStringLiteral(" session=") + hop.session;
        if (!hop.detail.isEmpty())
            line += QStringLiteral(" (") + hop.detail + u')';
        text += line + u'\n';
    }
    if (missed.isEmpty()) {
        text += QStringLiteral("missed: none of the subscribers the capture knows of\n");
    } else {
        text += QStringLiteral("missed (%1):\n").arg(missed.size());
        for (const MissedSubscriber &m : missed)
            text += QStringLiteral("  %1 %2 session=%3 user=%4 %5 — %6\n")
                        .arg(m.source, m.transport, m.session, m.user, m.destination, m.reason);
    }
    for (const QString &note : notes)
        text += QStringLiteral("note: %1\n").arg(note);
    return text;
}

} // namespace sb::inspect
