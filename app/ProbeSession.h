#pragma once

#include "app/ProbeOptions.h"
#include "inspect/ProbeState.h"
#include "protocol/TrafficFrame.h"

#include <QObject>

#include <cstdio>

class QTimer;

namespace sb::inspect {
class SseProbeClient;
class StompProbeClient;
} // namespace sb::inspect

namespace sb::app {

// One run of `switchboard probe`: drives the probe client the options name, writes each
// frame it receives to `out` as one JSON line (TapFrameCodec: the tap's and the
// recordings' format), sends the --send frames once the subscriptions are in place, and
// ends at --count or --timeout. finished() carries the exit code and, for 1, the reason.
class ProbeSession : public QObject
{
    Q_OBJECT
public:
    static constexpr int kStopGraceMs = 2500; // for the STOMP DISCONNECT's RECEIPT at the end

    ProbeSession(const ProbeOptions &options, std::FILE *out, QObject *parent = nullptr);
    ~ProbeSession() override;

    void start();
    // Ends the run with exit 0 (SIGINT, SIGTERM).
    void interrupt();
    int counted() const { return m_counted; }

signals:
    void finished(int exitCode, const QString &error);

private:
    void onFrame(const protocol::TrafficFrame &frame);
    void onState(inspect::ProbeState state, const QString &detail);
    void onSubscribed();
    void sendAll();
    void onTimeout();
    void finish(int exitCode, const QString &error);
    void done();

    ProbeOptions m_options;
    std::FILE *m_out;
    inspect::StompProbeClient *m_stomp = nullptr;
    inspect::SseProbeClient *m_sse = nullptr;
    QTimer *m_timeout;
    QTimer *m_grace;
    int m_counted = 0;
    int m_subscribed = 0;
    bool m_sent = false;
    bool m_finishing = false;
    bool m_done = false;
    int m_exitCode = 0;
    QString m_error;
};

} // namespace sb::app
