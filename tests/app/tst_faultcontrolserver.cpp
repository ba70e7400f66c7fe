// The devcluster's fault control endpoint keeps its bounds: each, when hit, is answered with an
// HTTP error and a JSON reason before the connection closes, counted, and shown (with the
// bound itself) by GET /limits. No cluster runs here: only the endpoint's own answers are
// looked at, never an action.
#include "app/DevCluster.h"
#include "app/FaultActions.h"
#include "app/FaultControlServer.h"
#include "app/FaultEventLog.h"
#include "support/TestMain.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTest>
#include <QUrl>

#include <memory>

using namespace sb::app;

namespace {

struct Endpoint
{
    explicit Endpoint(FaultControlLimits limits)
        : cluster(DevClusterOptions(), QStringLiteral("/bin/false"))
        , actions(&cluster, &log)
        , server(&actions, &log, limits)
    { }
    DevCluster cluster;
    FaultEventLog log;
    FaultActions actions;
    FaultControlServer server;
};

std::unique_ptr<QTcpSocket> connectTo(const FaultControlServer &server)
{
    auto socket = std::make_unique<QTcpSocket>();
    socket->connectToHost(QHostAddress::LocalHost, quint16(QUrl(server.url()).port()));
    return socket;
}

// Everything the endpoint wrote until it closed the connection (the event loop runs
// meanwhile); empty if it did not close within 10 s.
QByteArray answerOf(QTcpSocket &socket)
{
    QByteArray answer;
    const QDeadlineTimer deadline(10000);
    while (socket.state() != QAbstractSocket::UnconnectedState && !deadline.hasExpired()) {
        answer += socket.readAll();
        QTest::qWait(10);
    }
    return socket.state() == QAbstractSocket::UnconnectedState ? answer + socket.readAll() : QByteArray();
}

int answerStatusOf(const QByteArray &answer)
{
    return answer.startsWith("HTTP/1.1 ") ? answer.mid(9, 3).toInt() : -1;
}

QJsonObject bodyOf(const QByteArray &answer)
{
    return QJsonDocument::fromJson(answer.mid(answer.indexOf("\r\n\r\n") + 4)).object();
}

QJsonObject limitsOf(const FaultControlServer &server)
{
    auto socket = connectTo(server);
    socket->write("GET /limits HTTP/1.1\r\nHost: x\r\n\r\n");
    const QByteArray answer = answerOf(*socket);
    return answerStatusOf(answer) == 200 ? bodyOf(answer) : QJsonObject();
}

} // namespace

class TestFaultControlServer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void aConnectionPastTheLimitIsAnswered503()
    {
        FaultControlLimits limits;
        limits.maxConnections = 1;
        Endpoint endpoint(limits);
        QString error;
        QVERIFY2(endpoint.server.listen(&error), qPrintable(error));

        auto holder = connectTo(endpoint.server); // says nothing: holds the one slot
        QTRY_COMPARE(holder->state(), QAbstractSocket::ConnectedState);
        auto refused = connectTo(endpoint.server);
        const QByteArray answer = answerOf(*refused);
        QCOMPARE(answerStatusOf(answer), 503);
        QVERIFY2(answer.contains("Retry-After: 1"), answer.constData());
        QCOMPARE(bodyOf(answer).value(QStringLiteral("error")).toString(),
            QStringLiteral("too many control connections (limit 1); retry"));
        QCOMPARE(endpoint.server.refusedConnections(), quint64(1));

        holder->abort();
        // Until the endpoint has seen the holder go, an ask for /limits is refused too (and
        // counted): the figure shown is the count at the answer, whatever it reached.
        QJsonObject shown;
        QTRY_VERIFY(!(shown = limitsOf(endpoint.server)).isEmpty());
        const QJsonObject bounds = shown.value(QStringLiteral("limits")).toObject();
        QCOMPARE(bounds.value(QStringLiteral("maxConnections")).toInt(), 1);
        const QJsonObject hits = shown.value(QStringLiteral("hits")).toObject();
        QCOMPARE(quint64(hits.value(QStringLiteral("refusedConnections")).toInt()),
            endpoint.server.refusedConnections());
    }

    void anIncompleteRequestIsAnswered408()
    {
        FaultControlLimits limits;
        limits.idleTimeoutMs = 300;
        Endpoint endpoint(limits);
        QString error;
        QVERIFY2(endpoint.server.listen(&error), qPrintable(error));

        auto slow = connectTo(endpoint.server);
        slow->write("GET /ev");
        const QByteArray answer = answerOf(*slow);
        QCOMPARE(answerStatusOf(answer), 408);
        QCOMPARE(bodyOf(answer).value(QStringLiteral("error")).toString(),
            QStringLiteral("request not complete within 300 ms"));
        QCOMPARE(endpoint.server.idleTimeouts(), quint64(1));
        QCOMPARE(limitsOf(endpoint.server)
                     .value(QStringLiteral("hits"))
                     .toObject()
                     .value(QStringLiteral("idleTimeouts"))
                     .toInt(),
            1);
    }

    void aBodyPastTheLimitIsAnswered413()
    {
        FaultControlLimits limits;
        limits.maxBodyBytes = 64;
        Endpoint endpoint(limits);
        QString error;
        QVERIFY2(endpoint.server.listen(&error), qPrintable(error));

        auto big = connectTo(endpoint.server);
        big->write("POST /faults HTTP/1.1\r\nHost: x\r\nContent-Length: 65\r\n\r\n" + QByteArray(65, '{'));
        const QByteArray answer = answerOf(*big);
        QCOMPARE(answerStatusOf(answer), 413);
        QVERIFY2(!bodyOf(answer).value(QStringLiteral("error")).toString().isEmpty(), answer.constData());
        QCOMPARE(endpoint.server.badRequests(), quint64(1));

        // At the bound itself the body is read and judged (here: not a fault request).
        auto atBound = connectTo(endpoint.server);
        atBound->write(
            "POST /faults HTTP/1.1\r\nHost: x\r\nContent-Length: 64\r\n\r\n" + QByteArray(64, ' '));
        QCOMPARE(answerStatusOf(answerOf(*atBound)), 400);

        const QJsonObject shown = limitsOf(endpoint.server);
        QCOMPARE(
            shown.value(QStringLiteral("limits")).toObject().value(QStringLiteral("maxBodyBytes")).toInt(),
            64);
        QCOMPARE(
            shown.value(QStringLiteral("hits")).toObject().value(QStringLiteral("badRequests")).toInt(), 2);
    }
};

SB_TEST_GUILESS_MAIN(TestFaultControlServer)
#include "tst_faultcontrolserver.moc"
