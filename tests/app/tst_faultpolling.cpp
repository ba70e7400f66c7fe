// pollAfterEachAnswer: a step is run now and again only after its answer (never two runs at
// once, however slow the answer), until the step says it is done or its watch is destroyed;
// either way nothing of it is kept. The answers here come from timers with the watch as
// context, as a fault watch's requests do.
#include "app/FaultPolling.h"
#include "support/TestMain.h"

#include <QElapsedTimer>
#include <QTest>

#include <memory>

using sb::app::pollAfterEachAnswer;

namespace {

// The step's state, shared with the test; the step holds it, so it expires once the step
// itself is gone.
struct Runs
{
    int started = 0;
    int answered = 0;
    bool inFlight = false;
    bool overlapped = false;
};

// A step that answers `answerMs` after it asks (a timer owned by `watch`, as a network reply
// connected with the watch as context), done on its `doneAt`-th run (never when 0).
sb::app::PollStep countingStep(
    QObject *watch, const std::shared_ptr<Runs> &runs, int answerMs, int doneAt = 0)
{
    return [watch, runs, answerMs, doneAt](const std::function<void(bool)> &answered) {
        runs->overlapped = runs->overlapped || runs->inFlight;
        runs->inFlight = true;
        const int run = ++runs->started;
        auto *reply = new QTimer(watch); // dies with the watch, its answer with it
        reply->setSingleShot(true);
        QObject::connect(reply, &QTimer::timeout, watch, [reply, runs, answered, run, doneAt] {
            reply->deleteLater();
            runs->inFlight = false;
            ++runs->answered;
            answered(run == doneAt);
        });
        reply->start(answerMs);
    };
}

} // namespace

class TestFaultPolling : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void runsAgainOnlyAfterEachAnswerUntilDone()
    {
        QObject watch;
        auto runs = std::make_shared<Runs>();
        const std::weak_ptr<Runs> held = runs;
        // Answers slower than the interval: a pollEvery would have asked again meanwhile.
        pollAfterEachAnswer(&watch, 5, countingStep(&watch, runs, 40, 3));
        QCOMPARE(runs->started, 1); // the first run is now
        const std::shared_ptr<const Runs> seen = runs;
        runs.reset();
        QTRY_COMPARE(seen->answered, 3);
        QVERIFY2(!seen->overlapped, "a run began before the one before it had its answer");
        // Done on the 3rd answer: the step is let go (no timer, no answer pending), never run again.
        QTRY_COMPARE(seen.use_count(), 1);
        QCOMPARE(seen->started, 3);
    }

    void stopsWhenTheWatchIsDestroyedWhileWaitingForTheInterval()
    {
        auto watch = std::make_unique<QObject>();
        auto runs = std::make_shared<Runs>();
        pollAfterEachAnswer(watch.get(), 30, countingStep(watch.get(), runs, 1));
        QTRY_VERIFY(runs->answered >= 2);
        watch.reset();
        const int started = runs->started;
        // The pending timer fires on nothing: the step is let go and never runs again.
        QTRY_COMPARE(runs.use_count(), 1);
        QCOMPARE(runs->started, started);
    }

    void stopsWhenTheWatchIsDestroyedWhileAnAnswerIsDue()
    {
        auto watch = std::make_unique<QObject>();
        auto runs = std::make_shared<Runs>();
        pollAfterEachAnswer(watch.get(), 1, countingStep(watch.get(), runs, 10000));
        QCOMPARE(runs->started, 1);
        QVERIFY(runs->inFlight);
        watch.reset();
        // The answer died with its context, and the step with it, at once.
        QCOMPARE(runs.use_count(), 1);
        QCOMPARE(runs->started, 1);
    }

    void anAnswerAfterTheWatchIsGoneIsDropped()
    {
        // A step whose request does not take the watch as its context still answers: the
        // poll must not schedule a next run on the watch that is gone.
        auto watch = std::make_unique<QObject>();
        auto token = std::make_shared<int>(0); // held by the step
        const std::weak_ptr<int> held = token;
        std::function<void(bool)> late;
        pollAfterEachAnswer(watch.get(), 1, [token, &late](const std::function<void(bool)> &answered) {
            ++*token;
            late = answered;
        });
        token.reset();
        QCOMPARE(*held.lock(), 1);
        watch.reset();
        late(false);
        late = nullptr;
        // Nothing scheduled: the last hold on the step was that answer.
        QVERIFY(held.expired());
    }
};

SB_TEST_GUILESS_MAIN(TestFaultPolling)
#include "tst_faultpolling.moc"
