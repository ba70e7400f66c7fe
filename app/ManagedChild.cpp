#include "app/ManagedChild.h"

#include <csignal>
#include <sys/prctl.h>

namespace sb::app {

namespace {
constexpr int kRecentLines = 20;
constexpr int kLastWords = 3; // lines quoted with a crash exit
} // namespace

ManagedChild::ManagedChild(
    QString name, QString program, QStringList arguments, QRegularExpression readyPattern, QObject *parent)
    : QObject(parent)
    , m_name(std::move(name))
    , m_program(std::move(program))
    , m_arguments(std::move(arguments))
    , m_readyPattern(std::move(readyPattern))
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    // If we die without stopping it (crash, SIGKILL), the kernel kills the child too. SIGKILL,
    // not SIGTERM: an orphaned node has lost the embedded Kafka with us, and its graceful
    // drain would spend ~10 s per Kafka client failing to leave a group on a dead broker.
    m_process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
    m_readyDeadline.setSingleShot(true);
    connect(&m_readyDeadline, &QTimer::timeout, this,
        [this] { fail(QStringLiteral("%1 did not become ready in time").arg(m_name)); });
    connect(&m_process, &QProcess::readyReadStandardOutput, this, &ManagedChild::onOutput);
    connect(&m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            fail(QStringLiteral("cannot start %1 (%2): %3").arg(m_name, m_program, m_process.errorString()));
    });
    connect(&m_process, &QProcess::finished, this, [this](int code, QProcess::ExitStatus status) {
        m_readyDeadline.stop();
        onOutput(); // whatever it wrote last, before the exit is described
        // A crash exit's code is the signal's number.
        m_lastExit = status == QProcess::CrashExit ? QStringLiteral("was killed by signal %1").arg(code)
                                                   : QStringLiteral("exited with code %1").arg(code);
        // A process that aborts (or faults) usually says why on its way out: glibc's heap
        // checks, std::terminate, qFatal. Those words belong with the exit; SIGKILL leaves
        // none, and lines from before it would only mislead.
        if (status == QProcess::CrashExit && code != SIGKILL) {
            QStringList last = m_recent.mid(qMax(0, m_recent.size() - kLastWords));
            if (!m_partialLine.trimmed().isEmpty())
                last.append(QString::fromUtf8(m_partialLine).trimmed());
            if (!last.isEmpty())
                m_lastExit += u"; its last output: " + last.join(QStringLiteral(" | "));
        }
        if (!m_ready && !m_stopping)
            fail(QStringLiteral("%1 exited with code %2 before it was ready").arg(m_name).arg(code));
        emit exited(code);
    });
}

ManagedChild::~ManagedChild()
{
    kill();
}

void ManagedChild::start(int readyTimeoutMs)
{
    m_readyDeadline.start(readyTimeoutMs);
    ++m_run;
    m_process.start(m_program, m_arguments);
}

void ManagedChild::restart(int readyTimeoutMs)
{
    m_ready = false;
    m_stopping = false;
    m_readyMatch = {};
    m_partialLine.clear();
    start(readyTimeoutMs);
}

void ManagedChild::onOutput()
{
    m_partialLine += m_process.readAllStandardOutput();
    qsizetype newline;
    while ((newline = m_partialLine.indexOf('\n')) >= 0) {
        const QString line = QString::fromUtf8(m_partialLine.left(newline)).trimmed();
        m_partialLine.remove(0, newline + 1);
        m_recent.append(line);
        emit outputLine(line);
        if (m_recent.size() > kRecentLines)
            m_recent.removeFirst();
        if (!m_ready) {
            const QRegularExpressionMatch match = m_readyPattern.match(line);
            if (match.hasMatch()) {
                m_ready = true;
                m_readyMatch = match;
                m_readyDeadline.stop();
                emit ready();
            }
        }
    }
    if (m_partialLine.size() > 64 * 1024)
        m_partialLine.clear(); // a child that never ends a line must not grow us
}

void ManagedChild::fail(const QString &reason)
{
    if (m_stopping)
        return;
    const QString tail
        = m_recent.isEmpty() ? QString() : QStringLiteral(" (last output: %1)").arg(m_recent.last());
    emit failed(reason + tail);
}

void ManagedChild::stop(int graceMs)
{
    m_stopping = true;
    m_readyDeadline.stop();
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate(); // SIGTERM: a node drains, redis-server exits
    // A drained replica restarted within the grace is another run: leave it alone (the
    // timer once killed it ~10 s after it was ready again).
    QTimer::singleShot(graceMs, this, [this, run = m_run] {
        if (run == m_run && m_process.state() != QProcess::NotRunning)
            m_process.kill();
    });
}

void ManagedChild::stopHurried(int hurryMs, int graceMs)
{
    stop(graceMs);
    QTimer::singleShot(hurryMs, this, [this, run = m_run] {
        if (run == m_run && m_process.state() != QProcess::NotRunning)
            m_process.terminate();
    });
}

void ManagedChild::killNow()
{
    m_stopping = true;
    m_readyDeadline.stop();
    if (m_process.state() != QProcess::NotRunning)
        m_process.kill();
}

void ManagedChild::kill()
{
    m_stopping = true;
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.kill();
    m_process.waitForFinished(2000); // bounded: SIGKILL cannot be ignored
}

} // namespace sb::app
