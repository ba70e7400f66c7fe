// StompHeartBeats, the session's outgoing heart-beat clock: no beat while frames go out, and
// once they stop, a beat 3/4 to 4/4 of the interval after the last one (the ticks four times
// an interval count the silence: sent() only marks a frame, it reads no clock, since it runs
// for every delivery), then one every 3/4 interval while the silence lasts.

#include "node/PeriodicTimers.h"
#include "node/StompHeartBeats.h"
#include "support/TestMain.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using sb::node::PeriodicTimers;
using sb::node::StompHeartBeats;

namespace {
constexpr qint64 kIntervalMs = 400; // ticks every 100 ms: a false beat needs a 200 ms stall
// A tick may run up to 1/16 of its period early (PeriodicTimers::slackMs): three ticks may
// come ~19 ms short.
constexpr qint64 kTimerSlackMs = kIntervalMs / 10;
} // namespace

class TestStompHeartBeats : public QObject
{
    Q_OBJECT
private slots:
    void beatsOnlyAfterThreeQuartersOfSilence()
    {
        PeriodicTimers timers;
        QElapsedTimer sinceLastFrame;
        QList<qint64> beatGapsMs; // from the last frame or beat, each beat
        StompHeartBeats *beating = nullptr;
        StompHeartBeats beats(
            &timers,
            [&] {
                beatGapsMs << sinceLastFrame.restart();
                beating->sent(); // as the session does once its beat went
            },
            [] { QFAIL("no incoming interval was negotiated"); });
        beating = &beats;
        beats.start({ kIntervalMs, 0 });
        QElapsedTimer sending;
        sending.start();
        while (sending.elapsed() < kIntervalMs * 3 / 4 + 100) { // past the first beat's time
            beats.sent();
            sinceLastFrame.start();
            QTest::qWait(10);
        }
        QVERIFY2(beatGapsMs.isEmpty(), "a beat while frames went out");
        QTRY_COMPARE_WITH_TIMEOUT(beatGapsMs.size(), 2, 5000);
        for (const qint64 gap : std::as_const(beatGapsMs))
            QVERIFY2(gap >= kIntervalMs * 3 / 4 - kTimerSlackMs, qPrintable(QString::number(gap)));
        // The first beat is due by the interval: unless the test's own thread stalled, no later.
        if (beatGapsMs.first() > kIntervalMs + 50)
            qWarning("first beat %lld ms after the last frame: a stalled event loop?", beatGapsMs.first());
        beats.stop();
        QCOMPARE(timers.size(), 0);
    }

    void aSilentPeerIsNoticedAfterThreeIncomingIntervals()
    {
        PeriodicTimers timers;
        bool silent = false;
        int beatsDue = 0;
        StompHeartBeats beats(
            &timers, [&] { ++beatsDue; }, [&] { silent = true; });
        QElapsedTimer sinceReceived;
        beats.start({ 0, kIntervalMs / 4 });
        beats.received();
        sinceReceived.start();
        QTRY_VERIFY_WITH_TIMEOUT(silent, 5000);
        QVERIFY2(sinceReceived.elapsed() > 3 * kIntervalMs / 4,
            qPrintable(QString::number(sinceReceived.elapsed())));
        QCOMPARE(beatsDue, 0); // no outgoing interval was negotiated
    }

    void theWorkersTimersMayEndFirst()
    {
        // The worker's end: its PeriodicTimers go before sessions waiting for deleteLater.
        auto timers = std::make_unique<PeriodicTimers>();
        StompHeartBeats beats(
            timers.get(), [] {}, [] {});
        beats.start({ kIntervalMs, kIntervalMs });
        QCOMPARE(timers->size(), 2);
        timers.reset();
        beats.stop(); // and the destructor's stop: nothing to reach, nothing done
        beats.start({ kIntervalMs, kIntervalMs }); // no clock left: no ticks, no crash
    }
};

SB_TEST_GUILESS_MAIN(TestStompHeartBeats)
#include "tst_stompheartbeats.moc"
