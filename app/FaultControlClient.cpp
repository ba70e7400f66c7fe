#include "app/FaultControlClient.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QTimer>

namespace sb::app {

namespace {
const char *const kTooLarge = "sbAnswerTooLarge";
}

FaultControlClient::FaultControlClient(const QUrl &control, int timeoutMs, QObject *parent)
    : QObject(parent)
    , m_control(control)
    , m_timeoutMs(timeoutMs)
    , m_network(new QNetworkAccessManager(this))
{
    m_network->setProxy(QNetworkProxy::NoProxy);
}

QNetworkReply *FaultControlClient::track(QNetworkReply *reply)
{
    // A broken endpoint (or another program on that port) streaming an endless body is cut
    // off, not buffered: the declared size is checked first, then what has come.
    connect(reply, &QNetworkReply::downloadProgress, reply, [reply](qint64 received, qint64 total) {
        if (received > kMaxAnswerBytes || total > kMaxAnswerBytes) {
            reply->setProperty(kTooLarge, true);
            reply->abort();
        }
    });
    return reply;
}

void FaultControlClient::sendFault(const protocol::FaultRequest &fault)
{
    postFault(QJsonDocument(fault.toJson()).toJson(QJsonDocument::Compact), fault.name(), 0);
}

void FaultControlClient::postFault(const QByteArray &body, const QString &action, int attempt)
{
    QUrl url = m_control;
    url.setPath(QStringLiteral("/faults"));
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setTransferTimeout(m_timeoutMs);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    QNetworkReply *reply = track(m_network->post(request, body));
    connect(reply, &QNetworkReply::finished, this, [this, reply, body, action, attempt] {
        reply->deleteLater();
        FaultControlAnswer answer = read(reply, true);
        answer.action = action;
        if (answer.kind == FaultControlAnswer::Kind::Busy && attempt < kBusyRetries) {
            QTimer::singleShot(qMin(answer.retryAfterSeconds, 5) * 1000, this,
                [this, body, action, attempt] { postFault(body, action, attempt + 1); });
            return;
        }
        emit faultAnswered(answer);
    });
}

void FaultControlClient::readEvents()
{
    QUrl url = m_control;
    url.setPath(QStringLiteral("/events"));
    QNetworkRequest request(url);
    request.setTransferTimeout(m_timeoutMs);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    QNetworkReply *reply = track(m_network->get(request));
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        emit eventsAnswered(read(reply, false));
    });
}

FaultControlAnswer FaultControlClient::read(QNetworkReply *reply, bool fault) const
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (reply->property(kTooLarge).toBool())
        return FaultControlAnswer::badAnswer(
            status, QStringLiteral("an answer larger than %1 bytes (cut off)").arg(kMaxAnswerBytes));
    if (status == 0) {
        // Qt reports the transfer timeout as a cancelled operation: say what it was.
        const QString why = reply->error() == QNetworkReply::OperationCanceledError
            ? QStringLiteral("no answer within %1 ms").arg(m_timeoutMs)
            : reply->errorString();
        return FaultControlAnswer::unreachable(why);
    }
    if (status >= 300 && status < 400)
        return FaultControlAnswer::badAnswer(status,
            QStringLiteral("HTTP %1: redirected (to %2), not followed")
                .arg(status)
                .arg(reply->header(QNetworkRequest::LocationHeader).toUrl().toDisplayString()));
    const QByteArray body = reply->read(kMaxAnswerBytes);
    const QByteArray retryAfter = reply->rawHeader("Retry-After");
    return fault ? FaultControlAnswer::readFault(status, body, retryAfter)
                 : FaultControlAnswer::readEvents(status, body, retryAfter);
}

} // namespace sb::app
