#pragma once

#include "app/FaultControlLimits.h"

#include <QObject>
#include <QTcpServer>

namespace sb::protocol {
class HttpRequest;
class HttpResponse;
} // namespace sb::protocol

namespace sb::app {

class FaultActions;
class FaultEventLog;

// The loopback control endpoint of `switchboard devcluster` (its `ready` line's "control"):
//   POST /faults  {"action": "kill", "args": {"replica": "node-2"}}
//                 → 200 {"ok": true, "message", "event"}; 400 a bad request (one-line
//                 "error"); 409 the action could not be taken (no such replica, …)
//   GET  /events  → {"events": [...]} the fault event log, effects included
//   GET  /limits  → {"limits": {...}, "hits": {...}} the bounds below and how often each was hit
// One request per connection (Connection: close). Listens on 127.0.0.1 only: anyone who
// can reach it can kill the cluster's processes, which is the point on a laptop and must
// never be exposed beyond it.
class FaultControlServer : public QObject
{
    Q_OBJECT
public:
    FaultControlServer(
        FaultActions *actions, FaultEventLog *log, FaultControlLimits limits = {}, QObject *parent = nullptr);

    // 127.0.0.1 on an ephemeral port; false with *error when it cannot listen.
    bool listen(QString *error);
    QString url() const;

    // How often each limit was hit.
    quint64 refusedConnections() const { return m_refusedConnections; }
    quint64 idleTimeouts() const { return m_idleTimeouts; }
    quint64 badRequests() const { return m_badRequests; }

private:
    void onNewConnection();
    protocol::HttpResponse answer(const protocol::HttpRequest &request);

    FaultActions *m_actions;
    FaultEventLog *m_log;
    const FaultControlLimits m_limits;
    QTcpServer m_server;
    int m_open = 0;
    quint64 m_refusedConnections = 0;
    quint64 m_idleTimeouts = 0;
    quint64 m_badRequests = 0;
};

} // namespace sb::app
