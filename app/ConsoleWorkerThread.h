#pragma once

#include <QDeadlineTimer>
#include <QString>

#include <functional>

class QObject;
class QThread;

namespace sb::app {

// The worker thread of one console area (Redis, Replicas, Kafka, Traffic): its worker — one
// root object, its children with it — lives there and is deleted there when the thread ends
// (hiredis and librdkafka handles must die on their own thread).
//
// Ending it never waits: finish() asks the worker to stop, ends the thread's loop and
// returns at once, so switching profile never holds the GUI thread while a poll blocks on
// an unresponsive broker (KafkaInspector's calls block up to a few request timeouts). The
// thread and the worker then delete themselves when the poll returns. Late results are the
// caller's to drop: its queued connections have a GUI-side context that goes with it.
//
// A thread still ending when the application quits would abort the process if its QThread
// were destroyed, so each finishing thread is remembered until it has ended, and the
// QCoreApplication's destruction waits for them (waitForFinishing, as a post routine),
// each up to the stop bound its owner gave: by then the window has gone, and only the
// process's exit waits. docs/architecture.md, "Worker threads of the console's areas".
//
// Usage (GUI thread):
//   ConsoleWorkerThread m_thread{u"kafka-inspector"_s, 14000};
//   m_thread.start(inspector);                    // inspector has no parent
//   m_thread.finish([inspector] { inspector->stop(); });  // or the destructor
class ConsoleWorkerThread
{
public:
    // name: the thread's (ps, gdb, logs). stopBoundMs: how long the worker may take to
    // return to its event loop once asked to stop.
    ConsoleWorkerThread(QString name, int stopBoundMs);
    ~ConsoleWorkerThread(); // finish() without a last word
    ConsoleWorkerThread(const ConsoleWorkerThread &) = delete;
    ConsoleWorkerThread &operator=(const ConsoleWorkerThread &) = delete;

    // Moves worker (parentless, with its children) to a new thread and starts it. Once per
    // start; start() again after finish() makes a new thread.
    void start(QObject *worker);
    bool isRunning() const;
    // Queues lastWord to the worker's thread (it runs there, before the loop ends: e.g. the
    // worker's stop()), then lets the thread end and returns without waiting.
    void finish(std::function<void()> lastWord = {});

    // Threads finished but not yet ended (their deferred deletes included), in this process.
    static int finishingCount();
    // Waits for them, each until its stop bound (counted from its finish()) or `deadline`,
    // whichever comes first, and deletes those that ended; true when none is left. Runs
    // when the QCoreApplication is destroyed; tests call it too.
    static bool waitForFinishing(QDeadlineTimer deadline = QDeadlineTimer(QDeadlineTimer::Forever));

private:
    QString m_name;
    int m_stopBoundMs;
    QThread *m_thread = nullptr;
    QObject *m_worker = nullptr; // lives on m_thread until it ends
};

} // namespace sb::app
