// ReplicaLivenessChecks (issue 11): a listed replica whose address answered before is down
// at once when it is refused (nothing listens there: killed), but only after
// kFailuresBeforeDown checks in a row when it merely misses the deadline (a loaded replica
// or console is not down for one late answer); an answer clears it. One whose entry says
// draining is down only at the second refusal (the first can be a finished drain's address
// closing just before its "left" mark lands); one marked left is not asked.
#include "inspect/ReplicaDiscoveryConfig.h"
#include "inspect/ReplicaLivenessChecks.h"
#include "support/TestMain.h"

#include <QDeadlineTimer>
#include <QList>
#include <QNetworkAccessManager>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace sb::inspect;

namespace {

// Answers every request 200 while `answering`; otherwise reads it and says nothing.
class ToggledHttpServer : public QTcpServer
{
public:
    ToggledHttpServer()
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection()) {
                m_sockets.append(socket);
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                    socket->readAll();
                    if (answering)
                        socket->write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
                });
            }
        });
    }
    // Stops listening and drops every connection: the replica's process is gone.
    void die()
    {
        close();
        for (const QPointer<QTcpSocket> &socket : std::as_const(m_sockets))
            if (socket)
                socket->abort();
    }
    bool answering = true;

private:
    QList<QPointer<QTcpSocket>> m_sockets;
};

RegistryScanner::Result listing(const QString &id, quint16 port)
{
    RegistryScanner::Result registry;
    registry.ok = true;
    registry.nodes[id]["address"] = "127.0.0.1:" + QByteArray::number(port);
    return registry;
}

} // namespace

class TestReplicaLivenessChecks : public QObject
{
    Q_OBJECT

private:
    // One poll's checks, waited for.
    static bool checkOnce(ReplicaLivenessChecks &checks, const RegistryScanner::Result &registry)
    {
        int pending = 0;
        pending = checks.checkListed(registry, [&pending] { --pending; });
        if (pending == 0)
            return false;
        const QDeadlineTimer deadline(10000);
        while (pending > 0 && !deadline.hasExpired())
            QTest::qWait(10);
        return pending == 0;
    }

private slots:
    void aRefusedReplicaIsDownAtOnce()
    {
        ToggledHttpServer replica;
        QVERIFY(replica.listen(QHostAddress::LocalHost, 0));
        const RegistryScanner::Result registry = listing(QStringLiteral("node-1"), replica.serverPort());
        QNetworkAccessManager network;
        QObject owner;
        ReplicaLivenessChecks checks(ReplicaDiscoveryConfig {}, &network, &owner);
        QVERIFY(checkOnce(checks, registry));
        QCOMPARE(checks.failure(QStringLiteral("node-1")), QString());

        replica.die();
        QVERIFY(checkOnce(checks, registry));
        const QString failure = checks.failure(QStringLiteral("node-1"));
        QVERIFY2(failure.contains(QStringLiteral("the registry still lists it")), qPrintable(failure));
    }

    void aSilentReplicaIsDownOnlyAfterTwoMissedChecks()
    {
        ToggledHttpServer replica;
        QVERIFY(replica.listen(QHostAddress::LocalHost, 0));
        const RegistryScanner::Result registry = listing(QStringLiteral("node-1"), replica.serverPort());
        ReplicaDiscoveryConfig config;
        config.httpTimeoutMs = 300;
        QNetworkAccessManager network;
        QObject owner;
        ReplicaLivenessChecks checks(config, &network, &owner);
        QVERIFY(checkOnce(checks, registry));
        QCOMPARE(checks.failure(QStringLiteral("node-1")), QString());

        replica.answering = false;
        QVERIFY(checkOnce(checks, registry));
        QCOMPARE(checks.failure(QStringLiteral("node-1")), QString()); // one late answer
        QVERIFY(checkOnce(checks, registry));
        QCOMPARE(ReplicaLivenessChecks::kFailuresBeforeDown, 2);
        const QString failure = checks.failure(QStringLiteral("node-1"));
        QVERIFY2(failure.contains(QStringLiteral("timeout")), qPrintable(failure));

        replica.answering = true;
        QVERIFY(checkOnce(checks, registry));
        QCOMPARE(checks.failure(QStringLiteral("node-1")), QString());
    }

    void aDrainingReplicaIsDownAtItsSecondRefusalAndALeftOneIsNotAsked()
    {
        ToggledHttpServer replica;
        QVERIFY(replica.listen(QHostAddress::LocalHost, 0));
        RegistryScanner::Result registry = listing(QStringLiteral("node-1"), replica.serverPort());
        registry.nodes[QStringLiteral("node-1")]["draining"] = "1";
        QNetworkAccessManager network;
        QObject owner;
        ReplicaLivenessChecks checks(ReplicaDiscoveryConfig {}, &network, &owner);
        QVERIFY(checkOnce(checks, registry));
        QCOMPARE(checks.failure(QStringLiteral("node-1")), QString());

        replica.die();
        QVERIFY(checkOnce(checks, registry));
        QCOMPARE(checks.failure(QStringLiteral("node-1")), QString()); // perhaps the end of its drain
        QVERIFY(checkOnce(checks, registry));
        const QString failure = checks.failure(QStringLiteral("node-1"));
        QVERIFY2(failure.contains(QStringLiteral("still lists it draining"))
                && failure.contains(QStringLiteral("connection refused")),
            qPrintable(failure));

        // Its drain's mark: it left, nothing is asked and nothing has failed.
        registry.nodes[QStringLiteral("node-1")]["left"] = "1";
        QCOMPARE(checks.checkListed(registry, [] {}), 0);
        QCOMPARE(checks.failure(QStringLiteral("node-1")), QString());
    }
};

SB_TEST_MAIN(TestReplicaLivenessChecks)
#include "tst_replicalivenesschecks.moc"
