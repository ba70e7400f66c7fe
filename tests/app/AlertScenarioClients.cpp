#include "AlertScenarioClients.h"

#include "app/ConsoleReplicaFanOut.h"
#include "protocol/NodeApi.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <ctime>
#include <memory>
#include <vector>

#include <sys/syscall.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace sb::testing {

namespace {
std::atomic<int> g_stallMs { 0 };
std::atomic<bool> g_released { false };
static_assert(std::atomic<int>::is_always_lock_free && std::atomic<bool>::is_always_lock_free,
    "read in a signal handler");

void waitInHandler(int)
{
    // Lock-free atomics and nanosleep are async-signal-safe.
    constexpr int stepMs = 20;
    for (int waited = 0; waited < g_stallMs.load() && !g_released.load(); waited += stepMs) {
        timespec step { 0, long(stepMs) * 1000000L };
        nanosleep(&step, nullptr);
    }
}
} // namespace

QString postMessages(
    QNetworkAccessManager *http, const QUrl &node, const QByteArray &token, const QString &text, int count)
{
    QUrl url = node;
    url.setPath(u"/api/channels/general/messages"_s);
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
    request.setRawHeader("Authorization", "Bearer " + token);
    const QByteArray body = QJsonDocument(QJsonObject { { u"text"_s, text } }).toJson(QJsonDocument::Compact);
    std::vector<std::unique_ptr<QNetworkReply>> replies;
    for (int i = 0; i < count; ++i)
        replies.emplace_back(http->post(request, body));
    const bool answered = QTest::qWaitFor(
        [&replies] {
            return std::all_of(replies.begin(), replies.end(), [](const auto &r) { return r->isFinished(); });
        },
        30000);
    if (!answered)
        return u"not all answered within 30 s"_s;
    for (const auto &reply : replies) {
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status != 201)
            return u"HTTP %1 (%2): %3"_s.arg(status).arg(
                reply->errorString(), QString::fromUtf8(reply->readAll().left(200)));
    }
    return {};
}

QWebSocket *openSilentStompSession(const QUrl &node, const QByteArray &token, QString *error)
{
    auto socket = std::make_unique<QWebSocket>();
    QWebSocketHandshakeOptions options;
    options.setSubprotocols({ protocol::nodeapi::StompSubprotocol });
    QSignalSpy connected(socket.get(), &QWebSocket::connected);
    QSignalSpy frames(socket.get(), &QWebSocket::textMessageReceived);
    QUrl url = node;
    url.setScheme(u"ws"_s);
    url.setPath(protocol::nodeapi::StompPath);
    socket->open(QNetworkRequest(url), options);
    if (!connected.wait(5000)) {
        *error = u"WebSocket did not connect: "_s + socket->errorString();
        return nullptr;
    }
    // heart-beat cx,cy: this client sends one every 1000 ms (it will not) and wants none.
    socket->sendTextMessage(QString::fromLatin1("CONNECT\naccept-version:1.2\nhost:" + node.host().toLatin1()
        + "\nheart-beat:1000,0\nAuthorization:Bearer " + token + "\n\n" + QByteArray(1, '\0')));
    if (!frames.wait(5000) || !frames.first().first().toString().startsWith(u"CONNECTED"_s)) {
        *error = u"no CONNECTED frame"_s;
        return nullptr;
    }
    return socket.release();
}

bool stallThreadNamed(const QByteArray &threadName, int maxMs, QString *error)
{
    QList<pid_t> named;
    const QDir tasks(u"/proc/self/task"_s);
    for (const QString &entry : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(tasks.filePath(entry + u"/comm"_s));
        if (comm.open(QIODevice::ReadOnly) && comm.readAll().trimmed() == threadName)
            named.append(pid_t(entry.toInt()));
    }
    if (named.size() != 1) {
        *error = u"%1 threads named %2"_s.arg(named.size()).arg(QString::fromLatin1(threadName));
        return false;
    }
    struct sigaction action = {};
    action.sa_handler = waitInHandler;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    sigaction(SIGUSR2, &action, nullptr);
    g_stallMs.store(maxMs);
    g_released.store(false);
    if (syscall(SYS_tgkill, getpid(), named.first(), SIGUSR2) != 0) {
        *error = u"tgkill failed"_s;
        return false;
    }
    return true;
}

void releaseStalledThread()
{
    g_released.store(true);
}

ReplicasUnderAlerts::ReplicasUnderAlerts(const cluster::RedisUrl &registry, models::ProfileStore *profiles,
    const models::AlertThresholds &alertThresholds)
    : thresholds(alertThresholds)
    , area(u"replicas"_s, { u"Replicas"_s, {}, {} })
    , replicas(&area, discoveryFrom(registry), &attachment)
    , alerts(&attachment, profiles)
{
    replicas.start();
    alerts.restart({}, thresholds);
    alerts.watch(&replicas, nullptr, nullptr);
    alerts.start();
}

inspect::ReplicaDiscoveryConfig ReplicasUnderAlerts::discoveryFrom(const cluster::RedisUrl &registry)
{
    inspect::ReplicaDiscoveryConfig discovery;
    discovery.redis = registry;
    return discovery;
}

namespace {
inspect::KafkaInspectorConfig kafkaConfig(const QString &bootstrap, int pollIntervalMs)
{
    inspect::KafkaInspectorConfig config;
    config.settings.setBootstrapServers(bootstrap.toUtf8());
    config.pollIntervalMs = pollIntervalMs;
    return config;
}
} // namespace

KafkaUnderAlerts::KafkaUnderAlerts(const cluster::RedisUrl &registry, const QString &bootstrap,
    int pollIntervalMs, models::ProfileStore *profiles)
    : watched(registry, profiles)
    , kafkaArea(u"kafka"_s, { u"Kafka"_s, {}, {} })
    , kafka(&kafkaArea, kafkaConfig(bootstrap, pollIntervalMs), &watched.attachment)
{
    kafka.start();
    new app::ConsoleReplicaFanOut(&watched.replicas, &kafka, nullptr); // the Replicas area owns it
    watched.alerts.watch(&watched.replicas, &kafka, nullptr);
}

} // namespace sb::testing
