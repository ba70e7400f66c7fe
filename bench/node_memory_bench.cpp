// Does a replica give memory back after mass disconnects? Opens N STOMP sessions to a node
// from this one address (raw RFC 6455 over QTcpSocket, the cheapest client: upgrade, CONNECT
// and one SUBSCRIBE with a receipt in one write), then closes them all, and samples the
// node's resident set (VmRSS of --pid) before, with every session open, and for
// --idle-seconds once the node reports them closed. --rounds repeats it, to tell memory that
// is kept for reuse from memory that grows. What one open session costs is the growth over
// them (--heart-beat-ms 10000 --hold-seconds 30: sessions as the idle scenario has
// them, heart-beats both ways, held a while before they close).
//
//   node_memory_bench --url http://127.0.0.1:PORT --pid PID [--connections 10000] [--rounds 3]
//                     [--idle-seconds 15] [--heart-beat-ms 0] [--hold-seconds 0]
// The node must let one address hold that many (--limit-connections-exempt-loopback);
// bench/run_node_memory.sh starts one so.
#include "EventLoopWait.h"
#include "protocol/NodeApi.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QTimer>
#include <QUrl>

#include <cstdio>
#include <memory>
#include <vector>

namespace {

qint64 residentKiB(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

QString mib(qint64 kib)
{
    return QString::number(double(kib) / 1024.0, 'f', 1) + QStringLiteral(" MiB");
}

QByteArray get(QNetworkAccessManager &network, const QUrl &url)
{
    QNetworkReply *reply = network.get(QNetworkRequest(url));
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    reply->deleteLater();
    return reply->readAll();
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

// One masked client text frame (RFC 6455 §5.2).
QByteArray textFrame(const QByteArray &payload)
{
    QByteArray frame;
    frame.append(char(0x81));
    if (payload.size() < 126) {
        frame.append(char(0x80 | payload.size()));
    } else {
        frame.append(char(0x80 | 126));
        frame.append(char(payload.size() >> 8)).append(char(payload.size() & 0xff));
    }
    const quint32 mask = QRandomGenerator::global()->generate();
    const char key[4] = { char(mask >> 24), char(mask >> 16), char(mask >> 8), char(mask) };
    frame.append(key, 4);
    for (qsizetype i = 0; i < payload.size(); ++i)
        frame.append(char(payload.at(i) ^ key[i % 4]));
    return frame;
}

// Open connections of the node (sb_connections summed over transports), -1 if unreadable.
qint64 nodeConnections(QNetworkAccessManager &network, const QUrl &base)
{
    qint64 total = -1;
    for (const QByteArray &line : get(network, base.resolved(QUrl(QStringLiteral("/metrics")))).split('\n')) {
        if (line.startsWith("sb_connections{"))
            total = qMax<qint64>(total, 0) + line.mid(line.lastIndexOf(' ') + 1).toLongLong();
    }
    return total;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption urlOption(
        QStringLiteral("url"), QStringLiteral("The node."), QStringLiteral("URL"));
    const QCommandLineOption pidOption(
        QStringLiteral("pid"), QStringLiteral("The node's process id."), QStringLiteral("PID"));
    const QCommandLineOption countOption(QStringLiteral("connections"), QStringLiteral("Sessions per round."),
        QStringLiteral("N"), QStringLiteral("10000"));
    const QCommandLineOption roundsOption(
        QStringLiteral("rounds"), QStringLiteral("Rounds."), QStringLiteral("N"), QStringLiteral("3"));
    const QCommandLineOption idleOption(QStringLiteral("idle-seconds"),
        QStringLiteral("Sampled after each round."), QStringLiteral("S"), QStringLiteral("15"));
    const QCommandLineOption heartBeatOption(QStringLiteral("heart-beat-ms"),
        QStringLiteral("CONNECT's heart-beat both ways (0: none); the bench beats every 4/5 of it."),
        QStringLiteral("MS"), QStringLiteral("0"));
    const QCommandLineOption holdOption(QStringLiteral("hold-seconds"),
        QStringLiteral("How long the open sessions are held (heart-beating) before they close."),
        QStringLiteral("S"), QStringLiteral("0"));
    parser.addOptions(
        { urlOption, pidOption, countOption, roundsOption, idleOption, heartBeatOption, holdOption });
    parser.process(app);
    const QUrl base(parser.value(urlOption));
    const qint64 pid = parser.value(pidOption).toLongLong();
    const int count = parser.value(countOption).toInt();
    const int rounds = parser.value(roundsOption).toInt();
    const int idleSeconds = parser.value(idleOption).toInt();
    const int heartBeatMs = parser.value(heartBeatOption).toInt();
    const int holdSeconds = parser.value(holdOption).toInt();
    if (!base.isValid() || pid <= 0 || count <= 0 || residentKiB(pid) < 0) {
        std::fprintf(stderr, "node_memory_bench: give --url and the --pid of a running node\n");
        return 2;
    }

    QNetworkAccessManager network;
    const QByteArray token = login(network, base, QStringLiteral("alice"));
    if (token.isEmpty()) {
        std::fprintf(stderr, "node_memory_bench: cannot log in at %s\n", qPrintable(base.toString()));
        return 1;
    }
    const QByteArray hello = "GET /ws HTTP/1.1\r\nHost: " + base.authority().toUtf8()
        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
          "Sec-WebSocket-Protocol: v12.stomp\r\n\r\n";
    // Sent once the 101 is in, as a browser would: the session reads only what follows it.
    const QByteArray beat = QByteArray::number(heartBeatMs);
    const QByteArray frames = textFrame("CONNECT\naccept-version:1.2\nheart-beat:" + beat + ',' + beat
                                  + "\nAuthorization:Bearer " + token + "\n\n" + '\0')
        + textFrame(QByteArray("SUBSCRIBE\nid:0\ndestination:/topic/channels.general\nreceipt:r\n\n") + '\0');

    const qint64 startKiB = residentKiB(pid);
    std::printf(
        "node pid %lld, %d sessions per round (heart-beat %d ms, held %d s): before the first round %s\n",
        pid, count, heartBeatMs, holdSeconds, qPrintable(mib(startKiB)));
    int status = 0;
    for (int round = 1; round <= rounds; ++round) {
        const qint64 roundKiB = residentKiB(pid);
        std::vector<std::unique_ptr<QTcpSocket>> sockets;
        sockets.reserve(std::size_t(count));
        int subscribed = 0;
        int failed = 0;
        int opened = 0;
        QString firstFailure;
        constexpr int kInFlight = 256; // connects not yet subscribed: stays under the listen backlog
        QElapsedTimer clock;
        clock.start();
        auto openMore = [&] {
            while (opened < count && opened - subscribed - failed < kInFlight) {
                auto socket = std::make_unique<QTcpSocket>();
                QTcpSocket *raw = socket.get();
                auto seen = std::make_shared<QByteArray>();
                QObject::connect(raw, &QTcpSocket::connected, raw, [raw, &hello] { raw->write(hello); });
                QObject::connect(raw, &QTcpSocket::readyRead, raw, [raw, seen, &frames, &subscribed] {
                    const bool upgraded = seen->contains("\r\n\r\n");
                    const bool done = seen->contains("RECEIPT");
                    if (done) { // the node's heart-beats, from now on
                        raw->readAll();
                        return;
                    }
                    *seen += raw->readAll();
                    if (!upgraded && seen->contains("\r\n\r\n"))
                        raw->write(frames);
                    if (!done && seen->contains("RECEIPT"))
                        ++subscribed;
                });
                QObject::connect(raw, &QTcpSocket::errorOccurred, raw, [raw, seen, &failed, &firstFailure] {
                    if (seen->contains("RECEIPT"))
                        return;
                    if (++failed == 1)
                        firstFailure = raw->errorString() + QStringLiteral(" (after '")
                            + QString::fromUtf8(seen->left(40)).replace(u'\r', u' ').replace(u'\n', u' ')
                            + QStringLiteral("')");
                });
                raw->connectToHost(base.host(), quint16(base.port()));
                sockets.push_back(std::move(socket));
                ++opened;
            }
        };
        sb::bench::waitUntil(
            [&] {
                openMore();
                return subscribed + failed >= count;
            },
            180000, 5); // often enough to keep kInFlight connects going
        const qint64 open = residentKiB(pid);
        std::printf(
            "round %d: %d sessions subscribed (%d failed) in %.1f s; node %s (%.1f KiB per session)\n", round,
            subscribed, failed, double(clock.elapsed()) / 1000.0, qPrintable(mib(open)),
            double(open - roundKiB) / qMax(1, subscribed));
        if (holdSeconds > 0) {
            // The client's half of the heart-beats (an empty line, RFC 6455 text frame), a bit
            // more often than promised, as stomp.js does; the node's half is read and dropped.
            QTimer beats;
            const QByteArray newline = textFrame("\n");
            if (heartBeatMs > 0) {
                QObject::connect(&beats, &QTimer::timeout, &beats, [&sockets, &newline] {
                    for (auto &socket : sockets)
                        if (socket->state() == QAbstractSocket::ConnectedState)
                            socket->write(newline);
                });
                beats.start(heartBeatMs * 4 / 5);
            }
            sb::bench::runEventsFor(holdSeconds * 1000);
            beats.stop();
            int connected = 0;
            for (auto &socket : sockets)
                connected += socket->state() == QAbstractSocket::ConnectedState ? 1 : 0;
            const qint64 held = residentKiB(pid);
            std::printf("round %d: held %d s, %d still connected; node %s (%.1f KiB per session)\n", round,
                holdSeconds, connected, qPrintable(mib(held)), double(held - roundKiB) / qMax(1, subscribed));
            if (connected < subscribed)
                status = 1;
        }
        if (subscribed < count) {
            std::printf("round %d: first failure: %s\n", round, qPrintable(firstFailure));
            status = 1;
        }
        for (auto &socket : sockets)
            socket->disconnectFromHost();
        sockets.clear();
        qint64 left = -1;
        sb::bench::waitUntil(
            [&] {
                left = nodeConnections(network, base);
                return left <= 1; // 1: the /metrics request itself
            },
            60000, 200);
        QElapsedTimer idle;
        idle.start();
        QString samples;
        for (int second : { 0, 1, 5, idleSeconds }) {
            if (second > idleSeconds)
                continue;
            sb::bench::runEventsFor(int(qMax<qint64>(0, second * 1000 - idle.elapsed())));
            samples += QStringLiteral(" +%1 s %2;").arg(second).arg(mib(residentKiB(pid)));
        }
        std::printf("round %d: all closed (node counts %lld open); node after:%s\n", round, left,
            qPrintable(samples));
        std::fflush(stdout);
    }
    return status;
}
