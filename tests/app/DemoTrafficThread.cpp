#include "DemoTrafficThread.h"

#include "app/DemoTraffic.h"

namespace sb::testing {

DemoTrafficThread::DemoTrafficThread(double messagesPerSecond, const QList<QUrl> &replicas)
{
    m_thread.setObjectName(QStringLiteral("demo-traffic"));
    m_thread.start();
    m_context = new QObject;
    m_context->moveToThread(&m_thread);
    // Built on its thread, so its sockets, timer and network manager all live there.
    QMetaObject::invokeMethod(
        m_context,
        [context = m_context, messagesPerSecond, replicas] {
            auto *traffic = new app::DemoTraffic(messagesPerSecond, context);
            traffic->start(replicas);
        },
        Qt::BlockingQueuedConnection);
}

DemoTrafficThread::~DemoTrafficThread()
{
    QMetaObject::invokeMethod(
        m_context, [context = m_context] { delete context; }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

} // namespace sb::testing
