// SessionLease, a connection's entry in the cluster's SessionStore: opened with its fields
// and TTL, refreshed on the worker's PeriodicTimers while it lives (one tick, a third of the
// TTL), closed when it goes — also after the worker's timers went first.

#include "cluster/SessionStore.h"
#include "node/PeriodicTimers.h"
#include "node/SessionLease.h"
#include "support/TestMain.h"

#include <QTest>

#include <memory>

using sb::node::PeriodicTimers;
using sb::node::SessionLease;

namespace {
class RecordingStore final : public sb::cluster::SessionStore
{
public:
    void open(const QString &sessionId, const QMap<QByteArray, QByteArray> &fields, int ttlSeconds) override
    {
        calls << QStringLiteral("open %1 %2 %3 ttl=%4")
                     .arg(sessionId, QString::fromUtf8(fields.value("user")),
                         QString::fromUtf8(fields.value("node")))
                     .arg(ttlSeconds);
    }
    void touch(const QString &sessionId, int ttlSeconds) override
    {
        calls << QStringLiteral("touch %1 ttl=%2").arg(sessionId).arg(ttlSeconds);
    }
    void close(const QString &sessionId) override { calls << QStringLiteral("close %1").arg(sessionId); }
    QStringList calls;
};
} // namespace

class TestSessionLease : public QObject
{
    Q_OBJECT
private slots:
    void opensRefreshesOnTheWorkersTimersAndCloses()
    {
        RecordingStore store;
        PeriodicTimers timers;
        {
            SessionLease lease(&store, &timers, QStringLiteral("node-1"), QStringLiteral("s1"),
                QStringLiteral("alice"), QByteArrayLiteral("stomp"), QStringLiteral("127.0.0.1"));
            QCOMPARE(store.calls, QStringList { QStringLiteral("open s1 alice node-1 ttl=60") });
            QCOMPARE(timers.size(), 1); // its refresh: one tick on the worker's timers
        }
        QCOMPARE(timers.size(), 0);
        QCOMPARE(store.calls.last(), QStringLiteral("close s1"));
    }

    void theWorkersTimersMayGoFirst()
    {
        RecordingStore store;
        auto timers = std::make_unique<PeriodicTimers>();
        auto lease = std::make_unique<SessionLease>(&store, timers.get(), QStringLiteral("node-1"),
            QStringLiteral("s2"), QStringLiteral("bob"), QByteArrayLiteral("sse"), QString());
        timers.reset();
        lease.reset(); // its refresh's stop reaches nothing; the entry is still closed
        QCOMPARE(store.calls.last(), QStringLiteral("close s2"));
    }
};

SB_TEST_GUILESS_MAIN(TestSessionLease)
#include "tst_sessionlease.moc"
