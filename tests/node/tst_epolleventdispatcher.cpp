// EpollEventDispatcher, the worker threads' event loop: on a thread of its own, as a worker
// runs it — sockets both ways (a megabyte echoed, so write notifiers come and go), timers
// (single shot, periodic, stopped from their own event, never again from a nested loop),
// posted events from another thread waking a loop with nothing else to do, and quit.

#include "node/EpollEventDispatcher.h"
#include "support/TestMain.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <functional>
#include <memory>

using sb::node::EpollEventDispatcher;

namespace {
constexpr int kLoopDeadlineMs = 10000;

// A thread on the dispatcher, and a way to run code there and wait for it.
class EpollThread
{
public:
    EpollThread()
    {
        auto *dispatcher = new EpollEventDispatcher;
        valid = dispatcher->isValid();
        m_thread.setEventDispatcher(dispatcher);
        m_context.moveToThread(&m_thread);
        m_thread.start();
    }
    ~EpollThread()
    {
        run([this] { m_context.moveToThread(QCoreApplication::instance()->thread()); });
        m_thread.quit();
        m_thread.wait();
    }
    void run(const std::function<void()> &code)
    {
        QMetaObject::invokeMethod(&m_context, code, Qt::BlockingQueuedConnection);
    }
    QObject *context() { return &m_context; }
    QThread *thread() { return &m_thread; }
    bool valid = false;

private:
    QThread m_thread;
    QObject m_context;
};

class CountingTimer : public QObject
{
public:
    std::atomic<int> events { 0 };
    std::function<void(CountingTimer *, int)> onEvent;

protected:
    void timerEvent(QTimerEvent *event) override
    {
        ++events;
        if (onEvent)
            onEvent(this, event->timerId());
    }
};
} // namespace

class TestEpollEventDispatcher : public QObject
{
    Q_OBJECT
private slots:
    void echoesAMegabyteThroughItsSockets()
    {
        EpollThread loop;
        QVERIFY(loop.valid);
        QTcpServer *server = nullptr;
        quint16 port = 0;
        loop.run([&] {
            server = new QTcpServer(loop.context());
            QVERIFY(server->listen(QHostAddress::LocalHost, 0));
            port = server->serverPort();
            QObject::connect(server, &QTcpServer::newConnection, server, [server] {
                QTcpSocket *peer = server->nextPendingConnection();
                QObject::connect(
                    peer, &QTcpSocket::readyRead, peer, [peer] { peer->write(peer->readAll()); });
                QObject::connect(peer, &QTcpSocket::disconnected, peer, &QObject::deleteLater);
            });
        });
        QVERIFY(port != 0);
        QTcpSocket client;
        client.connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(client.waitForConnected(kLoopDeadlineMs));
        const QByteArray sent(1024 * 1024, 'x');
        client.write(sent);
        QByteArray echoed;
        QElapsedTimer clock;
        clock.start();
        while (echoed.size() < sent.size() && clock.elapsed() < kLoopDeadlineMs) {
            client.waitForReadyRead(100);
            echoed += client.readAll();
        }
        QCOMPARE(echoed.size(), sent.size());
        QVERIFY(echoed == sent);
        client.disconnectFromHost();
        loop.run([&] { delete server; });
    }

    void singleShotAndPeriodicTimers()
    {
        // A periodic timer keeps its schedule (as Qt's does): the k-th tick never comes
        // before k intervals from its start, though one after a late tick may come sooner
        // than an interval after that late one.
        EpollThread loop;
        std::atomic<int> singleShots { 0 };
        std::atomic<int> ticks { 0 };
        std::atomic<int> earlyTicks { 0 };
        QTimer *periodic = nullptr;
        loop.run([&] {
            QTimer::singleShot(20, loop.context(), [&] { ++singleShots; });
            periodic = new QTimer(loop.context());
            periodic->setTimerType(Qt::PreciseTimer);
            auto *sinceStart = new QElapsedTimer;
            QObject::connect(periodic, &QTimer::timeout, loop.context(), [&, sinceStart] {
                const int k = ++ticks;
                if (sinceStart->elapsed() < qint64(k) * 15 - 1)
                    ++earlyTicks;
            });
            QObject::connect(periodic, &QObject::destroyed, [sinceStart] { delete sinceStart; });
            sinceStart->start();
            periodic->start(15);
        });
        QTRY_VERIFY_WITH_TIMEOUT(ticks >= 6, kLoopDeadlineMs);
        QCOMPARE(singleShots.load(), 1);
        QCOMPARE(earlyTicks.load(), 0);
        int remaining = -2;
        loop.run([&] { remaining = periodic->remainingTime(); });
        QVERIFY2(remaining >= 0 && remaining <= 15, qPrintable(QString::number(remaining)));
        loop.run([&] { delete periodic; });
        QCOMPARE(singleShots.load(), 1);
    }

    void aTimerStoppedInItsOwnEventNeverComesBack()
    {
        EpollThread loop;
        CountingTimer *stopped = nullptr;
        CountingTimer *witness = nullptr;
        loop.run([&] {
            stopped = new CountingTimer;
            stopped->onEvent = [](CountingTimer *self, int id) {
                if (self->events == 3)
                    self->killTimer(id);
            };
            stopped->startTimer(5);
            witness = new CountingTimer;
            witness->startTimer(5);
        });
        QTRY_VERIFY_WITH_TIMEOUT(witness->events >= 20, kLoopDeadlineMs);
        QCOMPARE(stopped->events.load(), 3);
        loop.run([&] {
            delete stopped;
            delete witness;
        });
    }

    void aNestedLoopDoesNotFireTheTimerWhoseEventItRunsIn()
    {
        EpollThread loop;
        CountingTimer *timer = nullptr;
        std::atomic<int> nestedDone { 0 };
        std::atomic<int> eventsInNestedLoop { -1 };
        loop.run([&] {
            timer = new CountingTimer;
            timer->onEvent = [&](CountingTimer *self, int id) {
                if (self->events != 1)
                    return;
                // A nested loop inside the timer's own event, as a modal wait would run:
                // 50 ms of it, ten of the timer's intervals.
                QEventLoop nested;
                QTimer::singleShot(50, &nested, &QEventLoop::quit);
                const int before = self->events;
                nested.exec();
                eventsInNestedLoop = self->events - before;
                ++nestedDone;
                self->killTimer(id);
            };
            timer->startTimer(5);
        });
        QTRY_VERIFY_WITH_TIMEOUT(nestedDone == 1, kLoopDeadlineMs);
        QCOMPARE(eventsInNestedLoop.load(), 0);
        loop.run([&] { delete timer; });
    }

    void aPostedEventWakesAnIdleLoop()
    {
        EpollThread loop;
        loop.run([] {}); // started and idle: blocked in epoll_wait with nothing to wait for
        for (int i = 0; i < 20; ++i) {
            std::atomic<bool> ran { false };
            QMetaObject::invokeMethod(loop.context(), [&ran] { ran = true; });
            QTRY_VERIFY_WITH_TIMEOUT(ran, kLoopDeadlineMs);
        }
    }

    void aZeroTimerRunsBesideEverythingElse()
    {
        EpollThread loop;
        std::atomic<int> zeroRuns { 0 };
        std::atomic<bool> posted { false };
        QTimer *zero = nullptr;
        loop.run([&] {
            zero = new QTimer(loop.context());
            QObject::connect(zero, &QTimer::timeout, [&] { ++zeroRuns; });
            zero->start(0);
        });
        QTRY_VERIFY_WITH_TIMEOUT(zeroRuns >= 100, kLoopDeadlineMs);
        QMetaObject::invokeMethod(loop.context(), [&posted] { posted = true; });
        QTRY_VERIFY_WITH_TIMEOUT(posted, kLoopDeadlineMs);
        loop.run([&] { delete zero; });
    }

    void registeredTimersAreReportedForTheirObject()
    {
        EpollThread loop;
        loop.run([&] {
            QObject object;
            const int a = object.startTimer(100, Qt::PreciseTimer);
            const int b = object.startTimer(2000, Qt::CoarseTimer);
            auto *dispatcher = QThread::currentThread()->eventDispatcher();
            const auto timers = dispatcher->registeredTimers(&object);
            QCOMPARE(timers.size(), 2);
            for (const auto &info : timers) {
                QVERIFY(info.timerId == a || info.timerId == b);
                QCOMPARE(info.interval, info.timerId == a ? 100 : 2000);
            }
            QVERIFY(dispatcher->unregisterTimers(&object));
            QVERIFY(dispatcher->registeredTimers(&object).isEmpty());
            QCOMPARE(dispatcher->remainingTime(a), -1);
        });
    }
};

SB_TEST_GUILESS_MAIN(TestEpollEventDispatcher)
#include "tst_epolleventdispatcher.moc"
