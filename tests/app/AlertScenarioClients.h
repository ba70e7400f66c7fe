#pragma once

#include "AlertDevClusterFixture.h"
#include "app/ConsoleAlerts.h"
#include "app/KafkaAreaAssembly.h"
#include "app/ReplicasAreaAssembly.h"
#include "cluster/RedisUrl.h"
#include "models/AttachmentState.h"
#include "ui/AreaView.h"

#include <QByteArray>
#include <QString>
#include <QUrl>

class QNetworkAccessManager;
class QWebSocket;

namespace sb::testing {

// What the devcluster alert scenarios drive the cluster and the console with: real clients
// of the nodes, and the console's Replicas area with its alerts.

// `count` messages of `text` to the `general` channel through the node's HTTP API, sent at
// once (the manager keeps up to 6 connections busy): empty when every one was answered 201,
// else what came back for the first that was not, for a failure's message.
QString postMessages(
    QNetworkAccessManager *http, const QUrl &node, const QByteArray &token, const QString &text, int count);

// A STOMP 1.2 session over WebSocket that negotiates heart-beats (it promises one every
// second; the node wants one within its own offer) and then never sends a byte: the node
// closes it after three silent intervals and counts a heart-beat timeout. Null with *error
// when it was not CONNECTED within 5 s. The caller owns the socket.
QWebSocket *openSilentStompSession(const QUrl &node, const QByteArray &token, QString *error);

// Stops the one thread of this process named `threadName` (its OS name, as QThread sets it
// from its objectName) until releaseStalledThread(), at most `maxMs`: a signal to that
// thread alone whose handler waits, so the thread reads no socket meanwhile — a console
// thread that falls behind, for real. False with *error unless exactly one has that name.
bool stallThreadNamed(const QByteArray &threadName, int maxMs, QString *error);
void releaseStalledThread();

// The Replicas area on the cluster's registry, assembled as the console does, and the
// console's alerts over it alone, evaluating with `thresholds` from the start.
struct ReplicasUnderAlerts
{
    ReplicasUnderAlerts(const cluster::RedisUrl &registry, models::ProfileStore *profiles,
        const models::AlertThresholds &alertThresholds = AlertDevClusterFixture::shortHolds());

    static inspect::ReplicaDiscoveryConfig discoveryFrom(const cluster::RedisUrl &registry);

    const models::AlertThresholds thresholds;
    ui::AreaView area;
    models::AttachmentState attachment;
    app::ReplicasAreaAssembly replicas;
    app::ConsoleAlerts alerts;
};

// The Kafka area on the cluster's Kafka as well, fed the groups the replicas announce
// (ConsoleReplicaFanOut), polled every `pollIntervalMs`, its groups and topics watched by
// the same alerts.
struct KafkaUnderAlerts
{
    KafkaUnderAlerts(const cluster::RedisUrl &registry, const QString &bootstrap, int pollIntervalMs,
        models::ProfileStore *profiles);

    ReplicasUnderAlerts watched;
    ui::AreaView kafkaArea;
    app::KafkaAreaAssembly kafka;
};

} // namespace sb::testing
