#include "support/DevClusterProcess.h"

#include <QDeadlineTimer>
#include <QJsonArray>
#include <QJsonDocument>

#include <csignal>
#include <sys/types.h>

namespace sb::testing {

DevClusterProcess::~DevClusterProcess()
{
    stop();
}

bool DevClusterProcess::start(const QStringList &extraArgs, int timeoutMs)
{
    m_process.setProgram(qEnvironmentVariable("SB_BINARY"));
    m_process.setArguments(
        QStringList { QStringLiteral("devcluster"), QStringLiteral("--child-logs") } + extraArgs);
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_process.start();
    if (!m_process.waitForStarted(5000)) {
        m_error = m_process.errorString();
        return false;
    }
    QByteArray out;
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired() && m_process.state() == QProcess::Running) {
        m_process.waitForReadyRead(200);
        out += m_process.readAllStandardOutput();
        const qsizetype at = out.indexOf("ready {");
        const qsizetype end = at < 0 ? -1 : out.indexOf('\n', at);
        if (end > 0) {
            m_endpoints = QJsonDocument::fromJson(out.mid(at + 6, end - at - 6)).object();
            return !m_endpoints.isEmpty();
        }
    }
    m_error = QStringLiteral("devcluster not ready within %1 ms; it printed: %2")
                  .arg(timeoutMs)
                  .arg(QString::fromUtf8(out));
    return false;
}

void DevClusterProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    // SIGTERM: the devcluster stops its children (they also die with it: PDEATHSIG).
    ::kill(pid_t(m_process.processId()), SIGTERM);
    if (!m_process.waitForFinished(15000)) {
        ::kill(pid_t(m_process.processId()), SIGKILL);
        m_process.waitForFinished(5000);
    }
}

QList<QUrl> DevClusterProcess::nodeUrls() const
{
    QList<QUrl> urls;
    for (const QJsonValue &node : m_endpoints.value(QStringLiteral("nodes")).toArray())
        urls.append(QUrl(node.toObject().value(QStringLiteral("url")).toString()));
    return urls;
}

QStringList DevClusterProcess::nodeIds() const
{
    QStringList ids;
    for (const QJsonValue &node : m_endpoints.value(QStringLiteral("nodes")).toArray())
        ids.append(node.toObject().value(QStringLiteral("id")).toString());
    return ids;
}

} // namespace sb::testing
