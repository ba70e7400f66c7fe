// Fan-out benchmark for one replica: S STOMP subscribers on /topic/channels.general, one
// publisher sending M messages at a target rate; prints deliveries per second and the
// delivery latency distribution (send -> MESSAGE received, same host clock). With
// --tap-readers N, N admin readers of /admin/tap (on a thread of their own, like separate
// clients) read and discard the node's tap during the run, so the cost of tapping shows
// as the difference from a run without them.
//
//   stomp_fanout_bench --url http://127.0.0.1:PORT [--subscribers 200] [--messages 2000] [--rate 1000]
//                      [--tap-readers 0] [--hold-ms 0]
//
// --hold-ms N waits N ms between "subscribers ready" and the first message, and between
// "all delivered" and the exit (lines flushed at once), so a profiler can be switched on and
// off around the deliveries alone (bench/callgrind_fanout.sh).
#include "StompBenchClient.h"

#include "protocol/NodeApi.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSet>
#include <QThread>
#include <QTimer>
#include <QWebSocket>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <vector>

namespace {
qint64 nowMicros()
{
    using namespace std::chrono;
    return duration_cast<microseconds>(steady_clock::now().time_since_epoch()).count();
}

QByteArray login(QNetworkAccessManager &network, const QUrl &base, const QString &user)
{
    QNetworkRequest request(base.resolved(QUrl(sb::protocol::nodeapi::LoginPath)));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply *reply = network.post(request, sb::protocol::nodeapi::loginBody(user, user));
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    reply->deleteLater();
    return sb::protocol::nodeapi::accessToken(reply->readAll());
}

// What the tap readers saw, written on their thread, read on the main one.
struct TapCounts
{
    std::atomic<int> attached { 0 };
    std::atomic<qint64> frames { 0 };
    std::atomic<qint64> bytes { 0 };
    std::atomic<qint64> dropped { 0 }; // the node's last {"type":"dropped"} total, summed over readers
};

// Opens `count` /admin/tap readers on `thread`; each counts what it receives and discards it.
// Returns their parent, to be deleted on that thread.
QObject *openTapReaders(
    QThread *thread, const QUrl &url, const QByteArray &adminToken, int count, TapCounts *counts)
{
    auto *context = new QObject;
    context->moveToThread(thread);
    QMetaObject::invokeMethod(context, [context, url, adminToken, count, counts] {
        for (int i = 0; i < count; ++i) {
            auto *socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, context);
            auto lastNotice = std::make_shared<qint64>(0);
            QObject::connect(socket, &QWebSocket::connected, socket, [counts] { ++counts->attached; });
            QObject::connect(socket, &QWebSocket::textMessageReceived, socket,
                [counts, lastNotice](const QString &message) {
                    // One frame, or a batch of frames one per line (docs/protocol.md, "Tap frames").
                    counts->frames += message.count(u'\n') + 1;
                    counts->bytes += message.size();
                    if (message.startsWith(u"{\"type\":\"dropped\"")) {
                        const qint64 total = QJsonDocument::fromJson(message.toUtf8())
                                                 .object()
                                                 .value(u"dropped")
                                                 .toInteger();
                        counts->dropped += total - *lastNotice;
                        *lastNotice = total;
                    }
                });
            QNetworkRequest request(url);
            request.setRawHeader("Authorization", "Bearer " + adminToken);
            socket->open(request);
        }
    });
    return context;
}

double percentile(std::vector<qint64> &v, double p)
{
    if (v.empty())
        return 0;
    const auto index = std::size_t(p * double(v.size() - 1));
    std::nth_element(v.begin(), v.begin() + qptrdiff(index), v.end());
    return double(v[index]) / 1000.0;
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({ QStringLiteral("url"), QStringLiteral("Node base URL (the subscribers')."),
        QStringLiteral("URL") });
    parser.addOption({ QStringLiteral("publish-url"),
        QStringLiteral("Base URL of the node the publisher uses (default: --url); another replica "
                       "measures the cross-replica path through the bus."),
        QStringLiteral("URL") });
    parser.addOption({ QStringLiteral("subscribers"), QStringLiteral("Subscribers."), QStringLiteral("N"),
        QStringLiteral("200") });
    parser.addOption({ QStringLiteral("messages"), QStringLiteral("Messages to publish."),
        QStringLiteral("N"), QStringLiteral("2000") });
    parser.addOption({ QStringLiteral("rate"), QStringLiteral("Messages per second."), QStringLiteral("N"),
        QStringLiteral("1000") });
    parser.addOption({ QStringLiteral("tap-readers"),
        QStringLiteral("Admin /admin/tap readers attached to the subscribers' node during the run."),
        QStringLiteral("N"), QStringLiteral("0") });
    parser.addOption({ QStringLiteral("hold-ms"),
        QStringLiteral("Wait this long after the subscribers are ready and after the last delivery."),
        QStringLiteral("MS"), QStringLiteral("0") });
    parser.process(app);
    const QUrl base(parser.value(QStringLiteral("url")));
    const QUrl publishBase(parser.isSet(QStringLiteral("publish-url"))
            ? parser.value(QStringLiteral("publish-url"))
            : parser.value(QStringLiteral("url")));
    const int subscribers = parser.value(QStringLiteral("subscribers")).toInt();
    const int messages = parser.value(QStringLiteral("messages")).toInt();
    const int rate = qMax(1, parser.value(QStringLiteral("rate")).toInt());
    const int tapReaders = parser.value(QStringLiteral("tap-readers")).toInt();
    const int holdMs = qMax(0, parser.value(QStringLiteral("hold-ms")).toInt());
    if (!base.isValid() || !publishBase.isValid() || subscribers <= 0 || messages <= 0 || tapReaders < 0) {
        std::fprintf(stderr,
            "usage: stomp_fanout_bench --url http://127.0.0.1:PORT [--publish-url URL] [--subscribers N] "
            "[--messages N] [--rate N] [--tap-readers N] [--hold-ms MS]\n");
        return 2;
    }

    QNetworkAccessManager network;
    QList<QByteArray> tokens;
    for (const QString &user :
        { QStringLiteral("alice"), QStringLiteral("bob"), QStringLiteral("carol"), QStringLiteral("admin") })
        tokens << login(network, base, user);
    if (tokens.contains(QByteArray())) {
        std::fprintf(stderr, "login failed: is the node running with --demo-users?\n");
        return 1;
    }
    const auto webSocketUrl = [](QUrl url) {
        url.setScheme(url.scheme() == u"https" ? QStringLiteral("wss") : QStringLiteral("ws"));
        url.setPath(QStringLiteral("/ws"));
        return url;
    };
    const QUrl wsUrl = webSocketUrl(base);

    // The readers attach before anything else, so the whole run is tapped.
    TapCounts tapCounts;
    QThread tapThread;
    QObject *tapContext = nullptr;
    if (tapReaders > 0) {
        tapThread.start();
        QUrl tapUrl = wsUrl;
        tapUrl.setPath(QStringLiteral("/admin/tap"));
        tapContext = openTapReaders(&tapThread, tapUrl, tokens[3], tapReaders, &tapCounts);
        QElapsedTimer waited;
        waited.start();
        while (tapCounts.attached.load() < tapReaders && waited.elapsed() < 10000)
            QThread::msleep(10);
        if (tapCounts.attached.load() < tapReaders) {
            std::fprintf(
                stderr, "only %d of %d tap readers attached\n", tapCounts.attached.load(), tapReaders);
            tapThread.quit();
            tapThread.wait();
            return 1;
        }
    }

    std::vector<qint64> latencies;
    latencies.reserve(std::size_t(subscribers) * std::size_t(messages));
    int ready = 0;
    qint64 received = 0;
    QElapsedTimer clock;
    double seconds = 0; // publishing start to last delivery (or to the give-up)
    QList<StompBenchClient *> clients;
    const qint64 expected = qint64(subscribers) * messages;
    // Once every message is delivered (or the run gave up), a closed connection is no failure:
    // the clients it closed are counted (one may report an ERROR frame and then the close) and
    // reported in one line; the clients' own teardown is not reported at all.
    bool runOver = false;
    QSet<const StompBenchClient *> closedAfterRun;
    auto *publisher = new StompBenchClient(webSocketUrl(publishBase), tokens[0], &app);
    QObject::connect(publisher, &StompBenchClient::failed, [&, publisher](const QString &why) {
        if (runOver)
            return void(closedAfterRun.insert(publisher));
        std::fprintf(stderr, "publisher failed: %s\n", qPrintable(why));
        QCoreApplication::exit(1);
    });

    auto startPublishing = [&] {
        std::printf("%d subscribers ready, %d tap readers; publishing %d messages at %d/s\n", subscribers,
            tapReaders, messages, rate);
        clock.start();
        auto *timer = new QTimer(&app);
        auto sent = std::make_shared<int>(0);
        timer->setInterval(10);
        QObject::connect(timer, &QTimer::timeout, [&, timer, sent] {
            const int due = int(qMin<qint64>(messages, clock.elapsed() * rate / 1000 + 1));
            for (; *sent < due; ++*sent)
                publisher->send(
                    "/app/channels.general", "{\"text\":\"" + QByteArray::number(nowMicros()) + "\"}");
            if (*sent >= messages)
                timer->stop();
        });
        timer->start();
        QTimer::singleShot(qMax(30000, messages * 1000 / rate + 20000), &app, [&] {
            seconds = double(clock.elapsed()) / 1000.0;
            runOver = true;
            QCoreApplication::exit(3);
        });
    };

    for (int i = 0; i < subscribers; ++i) {
        auto *client = new StompBenchClient(wsUrl, tokens[i % tokens.size()], &app);
        clients << client;
        QObject::connect(client, &StompBenchClient::connected, client,
            [client] { client->subscribe("/topic/channels.general"); });
        QObject::connect(client, &StompBenchClient::subscribed, client, [&] {
            if (++ready != subscribers)
                return;
            if (holdMs == 0)
                return startPublishing();
            std::printf("subscribers ready; holding %d ms\n", holdMs);
            std::fflush(stdout);
            QTimer::singleShot(holdMs, &app, startPublishing);
        });
        QObject::connect(client, &StompBenchClient::failed, [&, client](const QString &why) {
            if (runOver)
                return void(closedAfterRun.insert(client));
            std::fprintf(stderr, "subscriber failed: %s\n", qPrintable(why));
        });
        client->onMessage = [&](const QByteArray &body) {
            const qint64 sentAt = QJsonDocument::fromJson(body)
                                      .object()
                                      .value(QStringLiteral("text"))
                                      .toString()
                                      .toLongLong();
            latencies.push_back(nowMicros() - sentAt);
            if (++received != expected)
                return;
            seconds = double(clock.elapsed()) / 1000.0;
            runOver = true;
            std::printf("all delivered; holding %d ms\n", holdMs);
            std::fflush(stdout);
            QTimer::singleShot(holdMs, &app, [] { QCoreApplication::exit(0); });
        };
    }

    const int code = app.exec();
    runOver = true;
    // The clients close as `app` deletes them: that is this program's teardown, not the node's.
    for (StompBenchClient *client : std::as_const(clients))
        QObject::disconnect(client, &StompBenchClient::failed, nullptr, nullptr);
    QObject::disconnect(publisher, &StompBenchClient::failed, nullptr, nullptr);
    if (seconds == 0 && clock.isValid())
        seconds = double(clock.elapsed()) / 1000.0;
    std::printf("delivered %lld of %lld in %.2f s: %.0f deliveries/s\n", received, expected, seconds,
        seconds > 0 ? double(received) / seconds : 0.0);
    std::printf("latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f\n", percentile(latencies, 0.50),
        percentile(latencies, 0.90), percentile(latencies, 0.99), percentile(latencies, 1.0));
    if (!closedAfterRun.isEmpty())
        std::printf("%lld connections closed by the node after the run\n", qint64(closedAfterRun.size()));
    if (tapReaders > 0) {
        std::printf(
            "tap: %d readers received %lld messages (%.1f MB) by the end of the run; the node reported %lld "
            "frames dropped for them\n",
            tapReaders, qint64(tapCounts.frames.load()), double(tapCounts.bytes.load()) / 1e6,
            qint64(tapCounts.dropped.load()));
        QMetaObject::invokeMethod(
            tapContext, [tapContext] { delete tapContext; }, Qt::BlockingQueuedConnection);
        tapThread.quit();
        tapThread.wait();
    }
    return code == 0 ? 0 : 1;
}
