#pragma once

#include <QObject>

class QSocketNotifier;

namespace sb::app {

// Turns SIGTERM and SIGINT into a Qt signal on the thread that created it (self-pipe
// trick: the handler only writes a byte, which is async-signal-safe).
class SignalNotifier : public QObject
{
    Q_OBJECT
public:
    explicit SignalNotifier(QObject *parent = nullptr);
    ~SignalNotifier() override;

signals:
    void terminationRequested(int signalNumber);

private:
    static void handle(int signalNumber);
    static int s_fds[2];
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace sb::app
