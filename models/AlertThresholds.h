#pragma once

#include <QJsonObject>

namespace sb::models {

// Every figure the alert rules compare against, with the defaults the demo uses. A
// profile keeps its own (ProfileStore, key "alerts"); a key it lacks takes the default,
// so a profile saved before a threshold existed still loads. Where a rule has a raise and
// a clear threshold, the gap between them is its hysteresis.
struct AlertThresholds
{
    int raiseAfterSeconds = 5; // a condition must hold this long before it raises an alert
    int clearAfterSeconds = 10; // and its clear condition this long before the alert clears

    int drainGraceSeconds = 30; // a replica draining longer than this: the node's default --grace-seconds

    double imbalanceRaise = 1.5; // max/mean connections across the replicas up (ReplicaFigures)
    double imbalanceClear = 1.3;
    int imbalanceMinConnections = 20; // below this many connections in all, imbalance is noise

    int redisLatencyRaiseMs = 250;
    int redisLatencyClearMs = 150;

    // Counters judged over a sliding window: how much each grew within it.
    int counterWindowSeconds = 60;
    int deadLettersRaise = 1; // records added to a *.DLT topic
    int heartbeatTimeoutsRaise = 1; // STOMP sessions closed for a silent client, per replica
    int slowConsumerDropsRaise = 1; // connections a replica dropped for not reading, per replica
    int tapDropsRaise = 1; // tap frames dropped (by a replica for the console, or by the console)

    static AlertThresholds fromJson(const QJsonObject &json);
    QJsonObject toJson() const;
    // Empty when usable; otherwise what is wrong, for the dialog.
    QString validationError() const;
    bool operator==(const AlertThresholds &) const = default;
};

} // namespace sb::models
