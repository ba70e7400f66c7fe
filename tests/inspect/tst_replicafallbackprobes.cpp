// ReplicaFallbackProbes: which replicas are asked directly (those the registry listed and
// does not list now), how many per poll (at most maxDirectProbesPerPoll, the longest-unasked
// first), that a failing one waits its back-off, and what it forgets. Replicas here listen
// nowhere (connection refused), so no server is needed.
#include "inspect/ReplicaFallbackProbes.h"
#include "support/TestMain.h"

#include <QNetworkAccessManager>
#include <QSet>
#include <QTcpServer>
#include <QTest>

using namespace sb::inspect;
using namespace Qt::StringLiterals;

namespace {

// A loopback address nothing listens on: connection refused at once.
QByteArray deadAddress()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost, 0);
    return "127.0.0.1:" + QByteArray::number(server.serverPort());
}

RegistryScanner::Result registryListing(const QStringList &ids, const QByteArray &address)
{
    RegistryScanner::Result result;
    result.ok = true;
    for (const QString &id : ids)
        result.nodes.insert(id, { { "address", address }, { "ready", "1" } });
    return result;
}

RegistryScanner::Result registryDown()
{
    return RegistryScanner::Result { false, u"Redis unreachable: connection refused"_s, {} };
}

QSet<QString> idsOf(const QList<const ReplicaDirectProbe *> &probes)
{
    QSet<QString> ids;
    for (const ReplicaDirectProbe *probe : probes)
        ids.insert(probe->id());
    return ids;
}

} // namespace

class TestReplicaFallbackProbes : public QObject
{
    Q_OBJECT

private slots:
    void asksOnlyTheUnlistedAtMostSoManyPerPollOldestFirst()
    {
        ReplicaDiscoveryConfig config;
        config.pollIntervalMs = 10000; // a failure waits at least 5 s: longer than this test
        config.httpTimeoutMs = 1000;
        config.maxDirectProbesPerPoll = 2;
        QNetworkAccessManager network;
        QObject owner;
        ReplicaFallbackProbes fallback(config, &network, &owner);
        int answered = 0;
        const HttpReplicaProbe::Done count = [&answered](const HttpReplicaProbe::Outcome &outcome) {
            QVERIFY(!outcome.ok);
            ++answered;
        };

        const QByteArray dead = deadAddress();
        const QStringList all { u"r1"_s, u"r2"_s, u"r3"_s, u"r4"_s, u"r5"_s };
        fallback.listed(registryListing(all, dead));
        QCOMPARE(fallback.rememberedCount(), 5);
        QCOMPARE(fallback.address(u"r3"_s), QString::fromUtf8(dead));
        // Listed: the registry speaks for them, nobody is asked.
        QCOMPARE(fallback.pollUnlisted(registryListing(all, dead), count), 0);
        QVERIFY(fallback.unlisted(registryListing(all, dead)).isEmpty());

        // A key gone: only that replica is asked.
        QCOMPARE(
            fallback.pollUnlisted(registryListing({ u"r1"_s, u"r2"_s, u"r3"_s, u"r5"_s }, dead), count), 1);
        QCOMPARE(idsOf(fallback.unlisted(registryListing({ u"r1"_s, u"r2"_s, u"r3"_s, u"r5"_s }, dead))),
            QSet<QString> { u"r4"_s });
        QTRY_COMPARE(answered, 1);

        // The registry unreadable: everyone, two per poll, never-asked first (r4 was asked, and
        // failed: it waits its back-off anyway).
        QCOMPARE(fallback.pollUnlisted(registryDown(), count), 2);
        QCOMPARE(fallback.pollUnlisted(registryDown(), count), 2); // the first two are still busy
        QCOMPARE(fallback.pollUnlisted(registryDown(), count), 0); // r4 backs off; the rest are busy
        QTRY_COMPARE(answered, 5);
        QCOMPARE(idsOf(fallback.unlisted(registryDown())), QSet<QString>(all.cbegin(), all.cend()));
        for (const ReplicaDirectProbe *probe : fallback.unlisted(registryDown())) {
            QVERIFY(probe->hasOutcome());
            QVERIFY2(probe->lastOutcome().error.startsWith(u"/healthz/live: connection refused"_s),
                qPrintable(probe->lastOutcome().error));
            QVERIFY(probe->lastPolled().isValid());
            QVERIFY(!probe->status().ok);
        }
        // Every one failed just now: each waits its back-off before it is asked again.
        QCOMPARE(fallback.pollUnlisted(registryDown(), count), 0);

        // Listed again: no probe left for them; forgotten by the discovery: not remembered.
        fallback.listed(registryListing(all, dead));
        QVERIFY(fallback.unlisted(registryDown()).isEmpty());
        QHash<QString, int> known { { u"r1"_s, 0 }, { u"r2"_s, 0 } };
        fallback.keepOnly(known);
        QCOMPARE(fallback.rememberedCount(), 2);
        QVERIFY(!fallback.remembers(u"r5"_s));

        // A replica restarted on another port is asked there.
        fallback.listed(registryListing({ u"r1"_s }, "127.0.0.1:1"));
        QCOMPARE(fallback.address(u"r1"_s), u"127.0.0.1:1"_s);
    }
};

SB_TEST_GUILESS_MAIN(TestReplicaFallbackProbes)
#include "tst_replicafallbackprobes.moc"
