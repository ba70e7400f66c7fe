#include "app/ConsoleWorkerThread.h"

#include <QCoreApplication>
#include <QList>
#include <QLoggingCategory>
#include <QPointer>
#include <QThread>

#include <algorithm>
#include <utility>

Q_LOGGING_CATEGORY(lcConsoleWorkers, "sb.console.workers")

namespace sb::app {

namespace {

// A thread told to end, with the moment after which its owner no longer expects it to.
struct FinishingWorkerThread
{
    QPointer<QThread> thread; // cleared when its finished -> deleteLater has run
    QDeadlineTimer expectedEnd;
};

// GUI thread only (finish() and the QCoreApplication's destruction run there).
QList<FinishingWorkerThread> &finishingWorkerThreads()
{
    static QList<FinishingWorkerThread> threads;
    return threads;
}

void forgetEndedWorkerThreads()
{
    auto &threads = finishingWorkerThreads();
    threads.removeIf([](const FinishingWorkerThread &entry) { return entry.thread.isNull(); });
}

void waitForWorkerThreadsAtExit()
{
    ConsoleWorkerThread::waitForFinishing();
}

} // namespace

ConsoleWorkerThread::ConsoleWorkerThread(QString name, int stopBoundMs)
    : m_name(std::move(name))
    , m_stopBoundMs(stopBoundMs)
{ }

ConsoleWorkerThread::~ConsoleWorkerThread()
{
    finish();
}

void ConsoleWorkerThread::start(QObject *worker)
{
    if (m_thread)
        return;
    m_thread = new QThread;
    m_thread->setObjectName(m_name);
    m_worker = worker;
    m_worker->moveToThread(m_thread);
    // The worker goes on its own thread as the loop ends (QThread deletes deferred objects
    // after finished); the QThread object, which lives here, once this thread's loop runs.
    QObject::connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    QObject::connect(m_thread, &QThread::finished, m_thread, &QObject::deleteLater);
    m_thread->start();
}

bool ConsoleWorkerThread::isRunning() const
{
    return m_thread != nullptr;
}

void ConsoleWorkerThread::finish(std::function<void()> lastWord)
{
    if (!m_thread)
        return;
    static bool waitsAtExit = false;
    if (!waitsAtExit && QCoreApplication::instance()) {
        qAddPostRoutine(waitForWorkerThreadsAtExit);
        waitsAtExit = true;
    }
    forgetEndedWorkerThreads();
    finishingWorkerThreads().append({ QPointer<QThread>(m_thread), QDeadlineTimer(m_stopBoundMs) });
    // Queued after whatever the GUI asked of the worker before, and quit from inside, so the
    // last word is not lost to a loop that ended first.
    QMetaObject::invokeMethod(
        m_worker,
        [lastWord = std::move(lastWord)] {
            if (lastWord)
                lastWord();
            QThread::currentThread()->quit();
        },
        Qt::QueuedConnection);
    m_thread = nullptr;
    m_worker = nullptr;
}

int ConsoleWorkerThread::finishingCount()
{
    forgetEndedWorkerThreads();
    auto &threads = finishingWorkerThreads();
    // Not isFinished(): it is true from the moment finished() is emitted, while the thread
    // still deletes its deferred objects (a Kafka worker's destructor can take seconds);
    // wait(0) is true only once the thread has ended.
    return int(std::count_if(threads.cbegin(), threads.cend(),
        [](const FinishingWorkerThread &entry) { return !entry.thread->wait(QDeadlineTimer(0)); }));
}

bool ConsoleWorkerThread::waitForFinishing(QDeadlineTimer deadline)
{
    forgetEndedWorkerThreads();
    auto &threads = finishingWorkerThreads();
    bool allEnded = true;
    for (const FinishingWorkerThread &entry : std::as_const(threads)) {
        QThread *thread = entry.thread.data();
        const QDeadlineTimer until = std::min(entry.expectedEnd, deadline);
        if (thread->wait(until)) {
            delete thread; // ended: its pending deleteLater goes with it
        } else {
            // Destroying a running QThread aborts the process: leave it to the exit.
            qCWarning(lcConsoleWorkers, "worker thread %s did not end within its stop bound; left running",
                qPrintable(thread->objectName()));
            allEnded = false;
        }
    }
    forgetEndedWorkerThreads();
    return allEnded;
}

} // namespace sb::app
