#pragma once

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <memory>

namespace sb::app {

// Calls `poll` now, then every `intervalMs` until `watch` (a fault event's watch) ends.
inline void pollEvery(QObject *watch, int intervalMs, std::function<void()> poll)
{
    auto *timer = new QTimer(watch);
    QObject::connect(timer, &QTimer::timeout, watch, poll);
    timer->start(intervalMs);
    poll();
}

// One run of a step polled by pollAfterEachAnswer: it asks (a request, a read), and calls
// `answered` once when the answer has come: answered(true) when it is done, answered(false)
// to be run again.
using PollStep = std::function<void(std::function<void(bool done)> answered)>;

// Runs `step` now, then again `intervalMs` after each of its answers, so a slow answer is
// never overtaken by the next request (unlike pollEvery), until the step says it is done or
// `watch` (a fault event's watch) ends. The step's requests should take `watch` as their
// context, so that their answers die with it; an answer that comes after it anyway is dropped.
// Nothing is kept once it has stopped: the step lives only in its pending answer or timer.
inline void pollAfterEachAnswer(QObject *watch, int intervalMs, PollStep step)
{
    auto run = std::make_shared<std::function<void()>>();
    *run = [guard = QPointer<QObject>(watch), intervalMs, step = std::move(step),
               self = std::weak_ptr<std::function<void()>>(run)] {
        if (!guard)
            return;
        step([guard, intervalMs, again = self.lock()](bool done) {
            if (done || !guard || !again)
                return;
            QTimer::singleShot(intervalMs, guard.data(), [again] { (*again)(); });
        });
    };
    (*run)();
}

} // namespace sb::app
