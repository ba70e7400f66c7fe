#include "cluster/CachedNodeRegistry.h"

#include "support/TestMain.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>

using namespace sb::cluster;

namespace {

// A registry that answers list() only when told to, counting the readings asked of it.
class HeldNodeRegistry : public NodeRegistry
{
public:
    void publish(const QString &nodeId, const QMap<QByteArray, QByteArray> &fields, int) override
    {
        published.insert(nodeId, fields);
    }
    void remove(const QString &nodeId) override { published.remove(nodeId); }
    void list(QObject *context, ListHandler handler) override
    {
        ++asked;
        pending.append({ context, std::move(handler) });
    }
    // Answers every reading asked so far with what is published (or a failure).
    void answer(bool ok = true)
    {
        QList<Announced> nodes;
        for (auto it = published.cbegin(); it != published.cend(); ++it)
            nodes.append({ it.key(), it.value() });
        for (auto &[context, handler] : std::exchange(pending, {})) {
            if (context)
                handler(ok, ok ? nodes : QList<Announced> {});
        }
    }

    QMap<QString, QMap<QByteArray, QByteArray>> published;
    int asked = 0;
    QList<std::pair<QPointer<QObject>, ListHandler>> pending;
};

struct Seen
{
    std::atomic<int> answers = 0; // counted last: what it counts is written before
    bool ok = false;
    QStringList ids;
    Qt::HANDLE thread = nullptr;
};

NodeRegistry::ListHandler recordInto(std::shared_ptr<Seen> seen)
{
    return [seen](bool ok, const QList<NodeRegistry::Announced> &nodes) {
        seen->ok = ok;
        seen->ids.clear();
        for (const NodeRegistry::Announced &node : nodes)
            seen->ids << node.id;
        seen->thread = QThread::currentThreadId();
        ++seen->answers;
    };
}

} // namespace

class TestCachedNodeRegistry : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        m_inner = std::make_unique<HeldNodeRegistry>();
        m_inner->publish(QStringLiteral("node-1"), { { "ready", "1" } }, 5);
    }

    void concurrentCallersShareOneReading()
    {
        CachedNodeRegistry cache(m_inner.get(), 60000);
        QObject context;
        auto first = std::make_shared<Seen>(), second = std::make_shared<Seen>();
        cache.list(&context, recordInto(first));
        cache.list(&context, recordInto(second));
        QTRY_COMPARE(m_inner->asked, 1);
        m_inner->answer();
        QTRY_COMPARE(first->answers, 1);
        QTRY_COMPARE(second->answers, 1);
        QCOMPARE(first->ids, QStringList { QStringLiteral("node-1") });
        QCOMPARE(second->ids, first->ids);
        QCOMPARE(cache.readings(), quint64(1));
    }

    void aFreshReadingIsServedWithoutAskingAgain()
    {
        CachedNodeRegistry cache(m_inner.get(), 60000);
        QObject context;
        auto seen = std::make_shared<Seen>();
        QVERIFY(readFirst(cache, &context, seen));
        m_inner->publish(QStringLiteral("node-2"), {}, 5); // not seen until the reading is old
        for (int i = 0; i < 50; ++i)
            cache.list(&context, recordInto(seen));
        QTRY_COMPARE(seen->answers, 51);
        QCOMPARE(m_inner->asked, 1);
        QCOMPARE(seen->ids, QStringList { QStringLiteral("node-1") });
    }

    void anOldReadingIsTakenAgain()
    {
        CachedNodeRegistry cache(m_inner.get(), 50);
        QObject context;
        auto seen = std::make_shared<Seen>();
        QVERIFY(readFirst(cache, &context, seen));
        m_inner->publish(QStringLiteral("node-2"), {}, 5);
        QElapsedTimer sinceReading;
        sinceReading.start();
        QTRY_VERIFY(sinceReading.elapsed() > 60); // past the reading's age, by the clock
        cache.list(&context, recordInto(seen));
        QTRY_COMPARE(m_inner->asked, 2);
        m_inner->answer();
        QTRY_COMPARE(seen->answers, 2);
        QCOMPARE(seen->ids, (QStringList { QStringLiteral("node-1"), QStringLiteral("node-2") }));
    }

    // An unreachable registry is not asked again by every caller either.
    void aFailedReadingIsKeptAsLong()
    {
        CachedNodeRegistry cache(m_inner.get(), 60000);
        QObject context;
        auto seen = std::make_shared<Seen>();
        QVERIFY(readFirst(cache, &context, seen, false));
        QVERIFY(!seen->ok);
        cache.list(&context, recordInto(seen));
        QTRY_COMPARE(seen->answers, 2);
        QVERIFY(!seen->ok);
        QCOMPARE(m_inner->asked, 1);
    }

    // A fresh reading is answered like any other: later, on the caller's thread, and not to a
    // caller already gone.
    void aFreshReadingIsAnsweredLaterAndNotToAGoneCaller()
    {
        CachedNodeRegistry cache(m_inner.get(), 60000);
        QObject context;
        auto seen = std::make_shared<Seen>();
        QVERIFY(readFirst(cache, &context, seen));
        auto gone = std::make_shared<Seen>();
        {
            QObject leaving;
            cache.list(&leaving, recordInto(gone));
            cache.list(&context, recordInto(seen));
            QCOMPARE(seen->answers, 1); // not from inside list()
        }
        QTRY_COMPARE(seen->answers, 2);
        QCoreApplication::processEvents();
        QCOMPARE(gone->answers, 0);
        QCOMPARE(m_inner->asked, 1);
    }

    void aCallerGoneBeforeTheAnswerGetsNone()
    {
        CachedNodeRegistry cache(m_inner.get(), 60000);
        auto gone = std::make_shared<Seen>(), stays = std::make_shared<Seen>();
        QObject staying;
        {
            QObject leaving;
            cache.list(&leaving, recordInto(gone));
            cache.list(&staying, recordInto(stays));
            QTRY_COMPARE(m_inner->asked, 1);
        }
        m_inner->answer();
        QTRY_COMPARE(stays->answers, 1);
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        QCOMPARE(gone->answers, 0);
    }

    // The node's workers ask from their own threads; each gets its answer there.
    void aCallerOnAnotherThreadIsAnsweredOnIt()
    {
        CachedNodeRegistry cache(m_inner.get(), 60000);
        QThread worker;
        worker.start();
        auto *context = new QObject;
        context->moveToThread(&worker);
        auto seen = std::make_shared<Seen>();
        std::atomic<Qt::HANDLE> workerThread = nullptr;
        QMetaObject::invokeMethod(context, [&, context] {
            workerThread = QThread::currentThreadId();
            cache.list(context, recordInto(seen));
        });
        QTRY_COMPARE(m_inner->asked, 1);
        m_inner->answer();
        QTRY_VERIFY(workerThread.load() != nullptr);
        QTRY_COMPARE(seen->answers, 1);
        QCOMPARE(seen->thread, workerThread.load());
        QVERIFY(seen->thread != QThread::currentThreadId());
        seen->thread = nullptr;
        QMetaObject::invokeMethod(context, [&, context] { cache.list(context, recordInto(seen)); });
        QTRY_COMPARE(seen->answers, 2); // from the fresh reading, on the worker's thread too
        QCOMPARE(seen->thread, workerThread.load());
        QCOMPARE(m_inner->asked, 1);
        QMetaObject::invokeMethod(context, &QObject::deleteLater);
        worker.quit();
        QVERIFY(worker.wait(5000));
    }

    void publishAndRemoveGoThrough()
    {
        CachedNodeRegistry cache(m_inner.get(), 60000);
        cache.publish(QStringLiteral("node-3"), { { "ready", "0" } }, 5);
        QCOMPARE(m_inner->published.value(QStringLiteral("node-3")).value("ready"), QByteArray("0"));
        cache.remove(QStringLiteral("node-3"));
        QVERIFY(!m_inner->published.contains(QStringLiteral("node-3")));
    }

private:
    // The first list() of a cache, its reading taken and answered: where the tests of a held
    // reading start.
    bool readFirst(
        CachedNodeRegistry &cache, QObject *context, const std::shared_ptr<Seen> &seen, bool ok = true)
    {
        cache.list(context, recordInto(seen));
        if (!QTest::qWaitFor([&] { return m_inner->asked == 1; }))
            return false;
        m_inner->answer(ok);
        return QTest::qWaitFor([&] { return seen->answers == 1; });
    }

    std::unique_ptr<HeldNodeRegistry> m_inner;
};

SB_TEST_GUILESS_MAIN(TestCachedNodeRegistry)
#include "tst_cachednoderegistry.moc"
