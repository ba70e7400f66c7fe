#include "app/ProbeSession.h"

#include "inspect/SseProbeClient.h"
#include "inspect/StompProbeClient.h"
#include "protocol/TapFrameCodec.h"

#include <QTimer>

namespace sb::app {

using protocol::TrafficFrame;

ProbeSession::ProbeSession(const ProbeOptions &options, std::FILE *out, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_out(out)
    , m_timeout(new QTimer(this))
    , m_grace(new QTimer(this))
{
    m_timeout->setSingleShot(true);
    m_grace->setSingleShot(true);
    connect(m_timeout, &QTimer::timeout, this, &ProbeSession::onTimeout);
    connect(m_grace, &QTimer::timeout, this, &ProbeSession::done);
    if (options.kind == ProbeOptions::Kind::Stomp) {
        m_stomp = new inspect::StompProbeClient(this);
        connect(m_stomp, &inspect::StompProbeClient::frame, this, &ProbeSession::onFrame);
        connect(m_stomp, &inspect::StompProbeClient::stateChanged, this, &ProbeSession::onState);
        connect(m_stomp, &inspect::StompProbeClient::subscribed, this, &ProbeSession::onSubscribed);
    } else {
        m_sse = new inspect::SseProbeClient(this);
        connect(m_sse, &inspect::SseProbeClient::frame, this, &ProbeSession::onFrame);
        connect(m_sse, &inspect::SseProbeClient::stateChanged, this, &ProbeSession::onState);
    }
}

ProbeSession::~ProbeSession() = default;

void ProbeSession::start()
{
    if (m_options.timeoutSeconds > 0)
        m_timeout->start(int(qMin(m_options.timeoutSeconds * 1000.0, 2147483647.0)));
    if (m_stomp)
        m_stomp->start(m_options.stomp);
    else
        m_sse->start(m_options.sse);
}

void ProbeSession::interrupt()
{
    finish(0, {});
}

void ProbeSession::onFrame(const TrafficFrame &frame)
{
    // What the server sent, plus the probe's own markers of a reconnect; what the probe
    // itself sent only when asked (--sent).
    const bool print = frame.direction != TrafficFrame::Direction::In || m_options.printSent
        || frame.command == u"RECONNECT";
    if (print && !m_finishing) {
        QByteArray line = protocol::TapFrameCodec::encode(frame);
        line.append('\n');
        std::fwrite(line.constData(), 1, size_t(line.size()), m_out);
        std::fflush(m_out);
    }
    if (frame.direction != TrafficFrame::Direction::Out || m_finishing)
        return;
    const bool counts
        = m_stomp ? frame.command == u"MESSAGE" : frame.command != u"COMMENT" && frame.command != u"RETRY";
    if (counts && m_options.count > 0 && ++m_counted >= m_options.count)
        finish(0, {});
}

void ProbeSession::onState(inspect::ProbeState state, const QString &detail)
{
    if (state == inspect::ProbeState::Failed)
        return finish(1, detail);
    if (state == inspect::ProbeState::Closed) {
        if (m_finishing)
            return done();
        return finish(1, detail.isEmpty() ? QStringLiteral("the probe closed") : detail);
    }
    if (state == inspect::ProbeState::Live && m_stomp && m_options.stomp.subscriptions.isEmpty())
        sendAll();
}

void ProbeSession::onSubscribed()
{
    if (++m_subscribed >= m_options.stomp.subscriptions.size())
        sendAll();
}

void ProbeSession::sendAll()
{
    if (m_sent || !m_stomp)
        return;
    m_sent = true;
    for (const ProbeOptions::Send &send : std::as_const(m_options.sends))
        m_stomp->send(send.destination, send.body);
}

void ProbeSession::onTimeout()
{
    if (m_options.count > 0)
        return finish(1,
            QStringLiteral("timed out after %1 s with %2 of %3 %4")
                .arg(m_options.timeoutSeconds)
                .arg(m_counted)
                .arg(m_options.count)
                .arg(m_stomp ? QStringLiteral("messages") : QStringLiteral("events")));
    finish(0, {});
}

void ProbeSession::finish(int exitCode, const QString &error)
{
    if (m_finishing)
        return;
    m_finishing = true;
    m_exitCode = exitCode;
    m_error = error;
    m_timeout->stop();
    // A clean STOMP ending says DISCONNECT (and waits a moment for its RECEIPT).
    if (m_stomp && m_stomp->state() == inspect::ProbeState::Live) {
        m_grace->start(kStopGraceMs);
        m_stomp->stop();
        return;
    }
    if (m_stomp)
        m_stomp->abort();
    if (m_sse)
        m_sse->stop();
    done();
}

void ProbeSession::done()
{
    if (m_done)
        return;
    m_done = true;
    m_grace->stop();
    emit finished(m_exitCode, m_error);
}

} // namespace sb::app
