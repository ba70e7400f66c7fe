#pragma once

#include <QJsonObject>

#include <QMap>
#include <QString>

namespace sb::app {

// What the demo population is doing, as its own thread last counted it (every 250 ms).
struct DemoPopulationStats
{
    int users = 0;
    int connected = 0; // users holding a STOMP session or an SSE stream now
    int stompConnected = 0;
    int sseConnected = 0;
    int loggedOut = 0; // away for a while (churn), coming back
    QMap<QString, int> connectedByReplica; // replica id → users connected to it
    qint64 messagesSent = 0;
    qint64 messagesReceived = 0;
    qint64 presenceEvents = 0;
    qint64 reconnects = 0; // connections re-established after a loss
    qint64 recovered = 0; // messages a STOMP resubscribe with `since` brought back
    qint64 failures = 0; // refused logins, connections and publishes
    qint64 logouts = 0;
    qint64 logins = 0; // successful logins: the first of each user, and each return after a logout
    int slowConsumers = 0;
    double messagesPerSecond = 0; // the rate it is sending at now (a burst included)

    // state.json's "population" (the demo's simulated users, as their thread last counted).
    QJsonObject toJson() const
    {
        QJsonObject byReplica;
        for (auto it = connectedByReplica.cbegin(); it != connectedByReplica.cend(); ++it)
            byReplica.insert(it.key(), it.value());
        return QJsonObject { { QStringLiteral("users"), users }, { QStringLiteral("connected"), connected },
            { QStringLiteral("stompConnected"), stompConnected },
            { QStringLiteral("sseConnected"), sseConnected }, { QStringLiteral("loggedOut"), loggedOut },
            { QStringLiteral("connectedByReplica"), byReplica },
            { QStringLiteral("messagesSent"), messagesSent },
            { QStringLiteral("messagesReceived"), messagesReceived },
            { QStringLiteral("presenceEvents"), presenceEvents },
            { QStringLiteral("reconnects"), reconnects }, { QStringLiteral("recovered"), recovered },
            { QStringLiteral("failures"), failures }, { QStringLiteral("logins"), logins },
            { QStringLiteral("logouts"), logouts }, { QStringLiteral("slowConsumers"), slowConsumers },
            { QStringLiteral("messagesPerSecond"), messagesPerSecond } };
    }
};

} // namespace sb::app
