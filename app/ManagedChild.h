#pragma once

#include <QObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTimer>

namespace sb::app {

// A child process of devcluster or the demo console: it dies with us (PR_SET_PDEATHSIG),
// is ready when a line of its stdout matches `readyPattern` (within a deadline), and is
// stopped by pid — SIGTERM, then SIGKILL after a grace period. Never blocks the caller.
class ManagedChild : public QObject
{
    Q_OBJECT
public:
    ManagedChild(QString name, QString program, QStringList arguments, QRegularExpression readyPattern,
        QObject *parent = nullptr);
    ~ManagedChild() override;

    void start(int readyTimeoutMs);
    // Starts it again (same program and arguments) after it exited, e.g. a redis-server that
    // died: ready() and the deadline apply anew.
    void restart(int readyTimeoutMs);
    void stop(int graceMs);
    // SIGTERM, a second one after hurryMs (a node then ends its drain at once: nobody is left
    // to see it when the whole cluster stops), SIGKILL after graceMs.
    void stopHurried(int hurryMs, int graceMs);
    // SIGKILL and wait (bounded) for it to be gone: for teardown.
    void kill();
    // SIGKILL without waiting: exited() follows from the event loop (a fault injected on a
    // running cluster; the caller's thread must not wait).
    void killNow();
    // The arguments of the next start()/restart() (a replica started again on its old port,
    // or with another --bus).
    void setArguments(QStringList arguments) { m_arguments = std::move(arguments); }
    QString name() const { return m_name; }
    qint64 pid() const { return m_process.processId(); }
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    // Started and its ready line seen (false again once it exits).
    bool isReady() const { return m_ready && isRunning(); }
    // The first match of readyPattern (e.g. the "listening http://…" line's URL).
    QRegularExpressionMatch readyMatch() const { return m_readyMatch; }
    QString recentOutput() const { return m_recent.join(u'\n'); }
    // How it last ended, in words: "exited with code 1", "was killed by signal 9"; a crash by
    // any other signal quotes its last lines of output ("…signal 6; its last output: …").
    QString lastExit() const { return m_lastExit; }

signals:
    void ready();
    void failed(const QString &reason);
    void exited(int exitCode);
    // Each line the child writes (stdout and stderr are merged).
    void outputLine(const QString &line);

private:
    void onOutput();
    void fail(const QString &reason);

    QString m_name;
    QString m_program;
    QStringList m_arguments;
    QRegularExpression m_readyPattern;
    QRegularExpressionMatch m_readyMatch;
    QProcess m_process;
    QTimer m_readyDeadline;
    QByteArray m_partialLine;
    QStringList m_recent; // last lines, for the error message if it fails
    QString m_lastExit;
    bool m_ready = false;
    bool m_stopping = false;
    // Which run of the program this is (one more at each start): a stop's grace timer acts
    // only on the run it was set for, never on the one started again after it exited.
    quint64 m_run = 0;
};

} // namespace sb::app
