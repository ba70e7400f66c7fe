// ReplicaLivenessChecks (issue 11): a listed replica whose address answered before is down
// at once when it is refused (nothing listens there: killed), but only after
// kFailuresBeforeDown checks in a row when it merely misses the deadline (a loaded replica
// or console is not down for one late answer); an answer clears it. One whose entry says
// draining is down only at the second refusal (the first can be a finished drain's address
// closing just before its "left" mark lands); one marked left is not asked.
#include "inspect/ReplicaDiscoveryConfig.h"
#include "inspect/ReplicaLivenessChecks.h"
#include "support/TestMain.h"

#include <QList>
#include <QNetworkAccessManager>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <memory>

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

// node-1 listed at a replica that answers, its checks made with `config`.
struct LivenessUnderTest
{
    explicit LivenessUnderTest(const ReplicaDiscoveryConfig &config = {})
        : checks(config, &network, &owner)
    { }

    // The replica listening and listed, one check answered, so that it has answered before.
    bool startAnswered()
    {
        if (!replica.listen(QHostAddress::LocalHost, 0))
            return false;
        registry.ok = true;
        registry.nodes[QStringLiteral("node-1")]["address"]
            = "127.0.0.1:" + QByteArray::number(replica.serverPort());
        return checkOnce() && failure().isEmpty();
    }
    // One poll's checks, waited for.
    bool checkOnce()
    {
        auto pending = std::make_shared<int>(0); // a check that answers after the wait finds it
        *pending = checks.checkListed(registry, [pending] { --*pending; });
        return *pending > 0 && QTest::qWaitFor([pending] { return *pending == 0; }, 10000);
    }
    QString failure() const { return checks.failure(QStringLiteral("node-1")); }

    ToggledHttpServer replica;
    RegistryScanner::Result registry;
    QNetworkAccessManager network;
    QObject owner;
    ReplicaLivenessChecks checks;
};

} // namespace

class TestReplicaLivenessChecks : public QObject
{
    Q_OBJECT

private slots:
    void aRefusedReplicaIsDownAtOnce()
    {
        LivenessUnderTest t;
        QVERIFY(t.startAnswered());

        t.replica.die();
        QVERIFY(t.checkOnce());
        QVERIFY2(
            t.failure().contains(QStringLiteral("the registry still lists it")), qPrintable(t.failure()));
    }

    void aSilentReplicaIsDownOnlyAfterTwoMissedChecks()
    {
        ReplicaDiscoveryConfig config;
        config.httpTimeoutMs = 300;
        LivenessUnderTest t(config);
        QVERIFY(t.startAnswered());

        t.replica.answering = false;
        QVERIFY(t.checkOnce());
        QCOMPARE(t.failure(), QString()); // one late answer
        QVERIFY(t.checkOnce());
        QCOMPARE(ReplicaLivenessChecks::kFailuresBeforeDown, 2);
        QVERIFY2(t.failure().contains(QStringLiteral("timeout")), qPrintable(t.failure()));

        t.replica.answering = true;
        QVERIFY(t.checkOnce());
        QCOMPARE(t.failure(), QString());
    }

    void aDrainingReplicaIsDownAtItsSecondRefusalAndALeftOneIsNotAsked()
    {
        LivenessUnderTest t;
        t.registry.nodes[QStringLiteral("node-1")]["draining"] = "1";
        QVERIFY(t.startAnswered());

        t.replica.die();
        QVERIFY(t.checkOnce());
        QCOMPARE(t.failure(), QString()); // perhaps the end of its drain
        QVERIFY(t.checkOnce());
        QVERIFY2(t.failure().contains(QStringLiteral("still lists it draining"))
                && t.failure().contains(QStringLiteral("connection refused")),
            qPrintable(t.failure()));

        // Its drain's mark: it left, nothing is asked and nothing has failed.
        t.registry.nodes[QStringLiteral("node-1")]["left"] = "1";
        QCOMPARE(t.checks.checkListed(t.registry, [] {}), 0);
        QCOMPARE(t.failure(), QString());
    }
};

SB_TEST_MAIN(TestReplicaLivenessChecks)
#include "tst_replicalivenesschecks.moc"
