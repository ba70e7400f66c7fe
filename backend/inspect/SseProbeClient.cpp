#include "inspect/SseProbeClient.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

// Debug (each failure) is off unless asked for: QT_LOGGING_RULES="sb.inspect.probe.*=true".
Q_LOGGING_CATEGORY(lcSseProbe, "sb.inspect.probe.sse", QtInfoMsg)

namespace sb::inspect {

using protocol::TrafficFrame;

SseProbeClient::SseProbeClient(QObject *parent)
    : QObject(parent)
    , m_network(new QNetworkAccessManager(this))
    , m_retryTimer(new QTimer(this))
    , m_connectTimer(new QTimer(this))
    , m_idleTimer(new QTimer(this))
{
    for (QTimer *timer : { m_retryTimer, m_connectTimer, m_idleTimer })
        timer->setSingleShot(true);
    connect(m_retryTimer, &QTimer::timeout, this, [this] {
        ++m_reconnects;
        openStream(m_abortReason);
    });
    connect(m_connectTimer, &QTimer::timeout, this, [this] {
        abortAttempt(QStringLiteral("no response within %1 ms").arg(m_settings.connectTimeoutMs));
    });
    connect(m_idleTimer, &QTimer::timeout, this,
        [this] { abortAttempt(QStringLiteral("nothing received for %1 ms").arg(m_settings.idleTimeoutMs)); });
}

SseProbeClient::~SseProbeClient()
{
    dropReply();
}

qint64 SseProbeClient::retryMs() const
{
    return m_stream.retryMs() >= 0 ? m_stream.retryMs() : m_settings.defaultRetryMs;
}

void SseProbeClient::start(const SseProbeSettings &settings)
{
    dropReply();
    m_settings = settings;
    m_error.clear();
    m_reconnects = 0;
    m_failedAttempts = 0;
    m_everOpened = false;
    m_abortReason.clear();
    m_state = ProbeState::Idle;
    // A Last-Event-ID among the headers is the initial id: the client owns that header.
    if (const qsizetype i = probeHeaderIndex(m_settings.headers, QStringLiteral("Last-Event-ID")); i >= 0) {
        if (m_settings.lastEventId.isEmpty())
            m_settings.lastEventId = m_settings.headers.at(i).second;
        m_settings.headers.removeAt(i);
    }
    if (const QString problem = m_settings.problem(); !problem.isEmpty())
        return fail(problem);
    m_stream = SseProbeStream(m_settings.maxLineBytes, m_settings.maxEventBytes, m_settings.maxBodyBytes);
    m_stream.setLastEventId(m_settings.lastEventId);
    m_destination = m_settings.url.path();
    openStream({});
}

void SseProbeClient::stop()
{
    if (m_state == ProbeState::Closed || m_state == ProbeState::Failed)
        return;
    dropReply();
    setState(ProbeState::Closed, QStringLiteral("stopped"));
}

void SseProbeClient::openStream(QString reconnectReason)
{
    m_opened = false;
    m_abortReason.clear();
    m_errorBody.clear();
    m_stream.restart();
    m_sentLastEventId = m_stream.lastEventId();

    QNetworkRequest request(m_settings.url);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    ProbeHeaders sent;
    if (probeHeaderIndex(m_settings.headers, QStringLiteral("Accept")) < 0)
        sent.append({ QStringLiteral("Accept"), QStringLiteral("text/event-stream") });
    if (probeHeaderIndex(m_settings.headers, QStringLiteral("Cache-Control")) < 0)
        sent.append({ QStringLiteral("Cache-Control"), QStringLiteral("no-cache") });
    sent += m_settings.headers;
    if (!m_sentLastEventId.isEmpty())
        sent.append({ QStringLiteral("Last-Event-ID"), m_sentLastEventId });
    for (const auto &[name, value] : std::as_const(sent))
        request.setRawHeader(name.toUtf8(), value.toUtf8());

    const bool reconnect = m_everOpened || m_reconnects > 0;
    TrafficFrame frame;
    frame.command = reconnect ? QStringLiteral("RECONNECT") : QStringLiteral("GET");
    frame.direction = TrafficFrame::Direction::In;
    ProbeHeaders shown = probeMaskedHeaders(sent);
    if (reconnect) {
        shown.append({ QStringLiteral("attempt"), QString::number(m_reconnects) });
        if (!reconnectReason.isEmpty())
            shown.append({ QStringLiteral("reason"), reconnectReason });
    }
    frame.setHeaders(shown);
    emitFrame(frame);

    m_reply = m_network->get(request);
    m_reply->setReadBufferSize(kReadBufferBytes);
    connect(m_reply, &QNetworkReply::metaDataChanged, this, &SseProbeClient::onMetaData);
    connect(m_reply, &QNetworkReply::readyRead, this, &SseProbeClient::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &SseProbeClient::onFinished);
    m_connectTimer->start(m_settings.connectTimeoutMs);
    if (!reconnect)
        setState(ProbeState::Connecting,
            QStringLiteral("requesting %1").arg(m_settings.url.toString(QUrl::RemoveQuery)));
}

void SseProbeClient::onMetaData()
{
    if (!m_reply || m_opened)
        return;
    const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QString type = m_reply->header(QNetworkRequest::ContentTypeHeader).toString();
    if (status != 200 || !type.startsWith(u"text/event-stream", Qt::CaseInsensitive))
        return; // refused: onFinished says why, with the body
    m_opened = true;
    m_everOpened = true;
    m_failedAttempts = 0;
    m_connectTimer->stop();
    if (m_settings.idleTimeoutMs > 0)
        m_idleTimer->start(m_settings.idleTimeoutMs);
    setState(ProbeState::Live,
        m_sentLastEventId.isEmpty()
            ? QStringLiteral("stream open")
            : QStringLiteral("stream open, resuming after %1").arg(m_sentLastEventId));
}

void SseProbeClient::onReadyRead()
{
    if (!m_reply)
        return;
    if (!m_opened)
        onMetaData();
    if (!m_opened) {
        // A refusal's body, for the message; the rest is dropped unread.
        const QByteArray bytes = m_reply->readAll();
        m_errorBody.append(bytes.left(kMaxErrorBodyBytes - m_errorBody.size()));
        return;
    }
    if (m_settings.idleTimeoutMs > 0)
        m_idleTimer->start(m_settings.idleTimeoutMs);
    const QByteArray bytes = m_reply->readAll();
    const QList<TrafficFrame> frames = m_stream.feed(bytes);
    for (const TrafficFrame &frame : frames) {
        emitFrame(frame);
        if (m_state != ProbeState::Live)
            return; // a receiver stopped us
        if (frame.command != u"reset")
            continue;
        // The node's replay seam: the id we resumed from is no longer stored.
        TrafficFrame gap;
        gap.command = QStringLiteral("GAP");
        gap.direction = TrafficFrame::Direction::None;
        const QJsonObject data = QJsonDocument::fromJson(frame.body).object();
        ProbeHeaders headers { { QStringLiteral("Last-Event-ID"), m_sentLastEventId } };
        if (const QString reason = data.value(QLatin1String("reason")).toString(); !reason.isEmpty())
            headers.append({ QStringLiteral("reason"), reason });
        gap.setHeaders(headers);
        gap.body = (m_sentLastEventId.isEmpty()
                ? QStringLiteral("the server reset the stream: events before this point were missed")
                : QStringLiteral(
                    "the server no longer has the events after %1: events were missed at this seam")
                      .arg(m_sentLastEventId))
                       .toUtf8();
        emitFrame(gap);
    }
    if (m_stream.hasError())
        fail(QStringLiteral("bad event stream: %1").arg(m_stream.errorString()));
}

void SseProbeClient::onFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply || m_state == ProbeState::Closed || m_state == ProbeState::Failed)
        return;
    if (m_opened)
        onReadyRead(); // what arrived with the end
    if (m_state != ProbeState::Live && m_state != ProbeState::Connecting
        && m_state != ProbeState::Reconnecting)
        return;
    m_connectTimer->stop();
    m_idleTimer->stop();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QString why = m_abortReason.isEmpty() ? describe(reply) : m_abortReason;
    const bool opened = m_opened;
    dropReply();

    if (opened)
        return scheduleReconnect(why);
    // A replica that is restarting or draining behind a load balancer answers 502/503/504
    // for a moment: once a stream has been open, that is worth another try. Any other
    // answer that is not a stream is final, as for EventSource.
    const bool passing = status == 502 || status == 503 || status == 504;
    if (status > 0 && m_abortReason.isEmpty() && !(passing && m_everOpened))
        return fail(why);
    if (!m_everOpened && m_reconnects == 0)
        return fail(why); // the first request could not be made: a wrong URL, a server down
    ++m_failedAttempts;
    if (m_settings.maxReconnectAttempts >= 0 && m_failedAttempts > m_settings.maxReconnectAttempts)
        return fail(
            QStringLiteral("gave up after %1 failed reconnects: %2").arg(m_failedAttempts - 1).arg(why));
    scheduleReconnect(why);
}

void SseProbeClient::abortAttempt(const QString &why)
{
    if (!m_reply)
        return;
    m_abortReason = why;
    m_reply->abort(); // finished() follows, and reads m_abortReason
}

void SseProbeClient::scheduleReconnect(const QString &why)
{
    m_abortReason = why; // the RECONNECT frame says why
    const qint64 delay = retryMs();
    setState(ProbeState::Reconnecting,
        QStringLiteral("%1; reconnecting in %2 ms%3")
            .arg(why)
            .arg(delay)
            .arg(m_stream.lastEventId().isEmpty()
                    ? QString()
                    : QStringLiteral(" with Last-Event-ID ") + m_stream.lastEventId()));
    m_retryTimer->start(int(qMin<qint64>(delay, 24 * 3600 * 1000)));
}

QString SseProbeClient::describe(QNetworkReply *reply) const
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status > 0 && !m_opened) {
        const QString phrase = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
        QString text = QStringLiteral("HTTP %1%2")
                           .arg(status)
                           .arg(phrase.isEmpty() ? QString() : QStringLiteral(" ") + phrase);
        if (status == 200)
            text += QStringLiteral(" but Content-Type is '%1', not text/event-stream")
                        .arg(reply->header(QNetworkRequest::ContentTypeHeader).toString());
        const QString body = QString::fromUtf8(m_errorBody).simplified();
        if (!body.isEmpty())
            text += QStringLiteral(": ") + body.left(300);
        return text;
    }
    if (m_opened)
        return reply->error() == QNetworkReply::NoError
                || reply->error() == QNetworkReply::RemoteHostClosedError
            ? QStringLiteral("the stream ended")
            : QStringLiteral("the stream broke: %1").arg(reply->errorString());
    const QUrl url = m_settings.url;
    const QString where
        = QStringLiteral("%1:%2").arg(url.host()).arg(url.port(url.scheme() == u"https" ? 443 : 80));
    switch (reply->error()) {
    case QNetworkReply::ConnectionRefusedError:
        return QStringLiteral("connection refused by %1").arg(where);
    case QNetworkReply::HostNotFoundError:
        return QStringLiteral("host '%1' not found").arg(url.host());
    case QNetworkReply::RemoteHostClosedError:
        return QStringLiteral("%1 closed the connection before answering").arg(where);
    default:
        break;
    }
    return QStringLiteral("%1: %2").arg(where, reply->errorString());
}

void SseProbeClient::fail(const QString &error)
{
    if (m_state == ProbeState::Failed || m_state == ProbeState::Closed)
        return;
    qCDebug(lcSseProbe) << "failed:" << error;
    m_error = error;
    dropReply();
    setState(ProbeState::Failed, error);
}

void SseProbeClient::dropReply()
{
    for (QTimer *timer : { m_retryTimer, m_connectTimer, m_idleTimer })
        timer->stop();
    if (!m_reply)
        return;
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    reply->disconnect(this);
    if (reply->isRunning())
        reply->abort();
    reply->deleteLater();
}

void SseProbeClient::setState(ProbeState state, const QString &detail)
{
    m_state = state;
    emit stateChanged(state, detail);
}

void SseProbeClient::emitFrame(TrafficFrame frame)
{
    frame.tsMs = QDateTime::currentMSecsSinceEpoch();
    frame.source = m_settings.source;
    frame.transport = TrafficFrame::Transport::Sse;
    if (frame.direction == TrafficFrame::Direction::None && frame.command != u"GAP")
        frame.direction = TrafficFrame::Direction::Out;
    frame.destination = m_destination;
    emit this->frame(frame);
}

} // namespace sb::inspect
