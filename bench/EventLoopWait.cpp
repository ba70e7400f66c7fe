#include "EventLoopWait.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QTimer>

#include <algorithm>

namespace sb::bench {

bool waitUntil(const std::function<bool()> &condition, int timeoutMs, int pollMs)
{
    if (condition())
        return true;
    const QDeadlineTimer deadline(timeoutMs);
    QEventLoop loop;
    bool held = false;
    // Single shot, started again after each poll: a condition that runs its own event loop
    // is not re-entered by the next poll.
    QTimer poll;
    poll.setSingleShot(true);
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        held = condition();
        if (held || deadline.hasExpired())
            loop.quit();
        else
            poll.start(int(std::min<qint64>(pollMs, deadline.remainingTime())));
    });
    poll.start(int(std::min<qint64>(pollMs, deadline.remainingTime())));
    loop.exec();
    return held;
}

void runEventsFor(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

} // namespace sb::bench
