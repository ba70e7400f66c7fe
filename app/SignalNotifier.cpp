#include "app/SignalNotifier.h"

#include <QSocketNotifier>

#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

namespace sb::app {

int SignalNotifier::s_fds[2] = { -1, -1 };

SignalNotifier::SignalNotifier(QObject *parent)
    : QObject(parent)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, s_fds) != 0)
        return;
    m_notifier = new QSocketNotifier(s_fds[1], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, [this] {
        char signalByte = 0;
        if (::read(s_fds[1], &signalByte, 1) == 1)
            emit terminationRequested(signalByte);
    });
    struct sigaction action = {};
    action.sa_handler = &SignalNotifier::handle;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGTERM, &action, nullptr);
    ::sigaction(SIGINT, &action, nullptr);
}

SignalNotifier::~SignalNotifier()
{
    ::signal(SIGTERM, SIG_DFL);
    ::signal(SIGINT, SIG_DFL);
}

void SignalNotifier::handle(int signalNumber)
{
    const char signalByte = char(signalNumber);
    [[maybe_unused]] const auto written = ::write(s_fds[0], &signalByte, 1);
}

} // namespace sb::app
