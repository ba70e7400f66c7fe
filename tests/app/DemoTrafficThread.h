#pragma once

#include <QList>
#include <QThread>
#include <QUrl>

namespace sb::app {
class DemoTraffic;
}

namespace sb::testing {

// The demo's clients and messages (app::DemoTraffic) on a thread of their own, so the
// traffic goes on while the test's GUI thread is kept busy (the tap-drops scenario), as it
// would from another process. Started by the constructor; the destructor closes the clients
// on that thread, then ends it.
class DemoTrafficThread
{
public:
    DemoTrafficThread(double messagesPerSecond, const QList<QUrl> &replicas);
    ~DemoTrafficThread();
    DemoTrafficThread(const DemoTrafficThread &) = delete;
    DemoTrafficThread &operator=(const DemoTrafficThread &) = delete;

private:
    QThread m_thread;
    QObject *m_context = nullptr; // lives on m_thread; owns the traffic
};

} // namespace sb::testing
