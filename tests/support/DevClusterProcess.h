#pragma once

#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QStringList>
#include <QUrl>

namespace sb::testing {

// A real `switchboard devcluster` ($SB_BINARY) for integration tests: start() waits
// (bounded) for its `ready {json}` line and keeps the endpoints; the replicas' own log lines
// go to this process's stderr (--child-logs), where CTest shows them when a test fails.
// stop() (and the destructor) sends SIGTERM by pid, then SIGKILL if it lingers; its
// children die with it (PDEATHSIG). Blocking waits are fine in a fixture.
class DevClusterProcess
{
public:
    DevClusterProcess() = default;
    ~DevClusterProcess();
    DevClusterProcess(const DevClusterProcess &) = delete;
    DevClusterProcess &operator=(const DevClusterProcess &) = delete;

    // False with errorString() when it did not become ready within timeoutMs.
    bool start(const QStringList &extraArgs = {}, int timeoutMs = 60000);
    void stop();

    QJsonObject endpoints() const { return m_endpoints; }
    QList<QUrl> nodeUrls() const;
    QStringList nodeIds() const;
    QString errorString() const { return m_error; }

private:
    QProcess m_process;
    QJsonObject m_endpoints;
    QString m_error;
};

} // namespace sb::testing
