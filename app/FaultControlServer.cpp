#include "app/FaultControlServer.h"

#include "app/FaultActions.h"
#include "app/FaultEventLog.h"
#include "protocol/HttpRequestParser.h"
#include "protocol/HttpResponse.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

#include <memory>

Q_LOGGING_CATEGORY(lcFaultControl, "sb.faults.control")

namespace sb::app {

using protocol::HttpRequest;
using protocol::HttpResponse;

FaultControlServer::FaultControlServer(
    FaultActions *actions, FaultEventLog *log, FaultControlLimits limits, QObject *parent)
    : QObject(parent)
    , m_actions(actions)
    , m_log(log)
    , m_limits(limits)
{
    connect(&m_server, &QTcpServer::newConnection, this, &FaultControlServer::onNewConnection);
}

bool FaultControlServer::listen(QString *error)
{
    if (m_server.listen(QHostAddress::LocalHost, 0))
        return true;
    *error = QStringLiteral("fault control endpoint: cannot listen on 127.0.0.1: %1")
                 .arg(m_server.errorString());
    return false;
}

QString FaultControlServer::url() const
{
    return QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort());
}

void FaultControlServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        auto respond = [socket](const HttpResponse &response) {
            HttpResponse closing = response;
            closing.setCloseConnection(true);
            socket->write(closing.serialize());
            socket->disconnectFromHost();
        };
        if (m_open >= m_limits.maxConnections) {
            ++m_refusedConnections;
            HttpResponse busy = HttpResponse::jsonError(503,
                QStringLiteral("too many control connections (limit %1); retry")
                    .arg(m_limits.maxConnections));
            busy.setHeader("Retry-After", "1");
            respond(busy);
            continue;
        }
        ++m_open;
        connect(socket, &QObject::destroyed, this, [this] { --m_open; });
        protocol::HttpLimits limits;
        limits.maxBodySize = m_limits.maxBodyBytes;
        auto parser = std::make_shared<protocol::HttpRequestParser>(limits);
        auto *idle = new QTimer(socket);
        idle->setSingleShot(true);
        connect(idle, &QTimer::timeout, socket, [this, respond] {
            ++m_idleTimeouts;
            respond(HttpResponse::jsonError(
                408, QStringLiteral("request not complete within %1 ms").arg(m_limits.idleTimeoutMs)));
        });
        idle->start(m_limits.idleTimeoutMs);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket, parser, idle, respond] {
            if (parser->state() == protocol::HttpRequestParser::State::Complete)
                return (void)socket->readAll(); // one request per connection: the rest is dropped
            const auto state = parser->feed(socket->readAll());
            if (state == protocol::HttpRequestParser::State::NeedMore)
                return;
            idle->stop();
            if (state == protocol::HttpRequestParser::State::Error) {
                ++m_badRequests;
                return respond(HttpResponse::jsonError(parser->errorStatus(), parser->errorReason()));
            }
            respond(answer(parser->takeRequest()));
        });
    }
}

HttpResponse FaultControlServer::answer(const HttpRequest &request)
{
    const QString path = request.path();
    if (path == u"/faults") {
        if (request.method() != "POST")
            return HttpResponse::jsonError(405, QStringLiteral("use POST for /faults"));
        QString error;
        const auto fault = protocol::FaultRequest::fromJson(request.body(), &error);
        if (!fault) {
            ++m_badRequests;
            return HttpResponse::jsonError(400, error);
        }
        const FaultActions::Outcome outcome = m_actions->perform(*fault);
        qCInfo(lcFaultControl).noquote()
            << fault->name() << (outcome.ok ? "done:" : "refused:") << outcome.message;
        if (!outcome.ok)
            return HttpResponse::json(409,
                { { QStringLiteral("ok"), false }, { QStringLiteral("error"), outcome.message },
                    { QStringLiteral("event"), outcome.eventId } });
        return HttpResponse::json(200,
            { { QStringLiteral("ok"), true }, { QStringLiteral("message"), outcome.message },
                { QStringLiteral("event"), outcome.eventId } });
    }
    if (path == u"/limits") {
        if (request.method() != "GET")
            return HttpResponse::jsonError(405, QStringLiteral("use GET for /limits"));
        return HttpResponse::json(200,
            { { QStringLiteral("limits"),
                  QJsonObject { { QStringLiteral("maxConnections"), m_limits.maxConnections },
                      { QStringLiteral("idleTimeoutMs"), m_limits.idleTimeoutMs },
                      { QStringLiteral("maxBodyBytes"), qint64(m_limits.maxBodyBytes) } } },
                { QStringLiteral("hits"),
                    QJsonObject { { QStringLiteral("refusedConnections"), qint64(m_refusedConnections) },
                        { QStringLiteral("idleTimeouts"), qint64(m_idleTimeouts) },
                        { QStringLiteral("badRequests"), qint64(m_badRequests) } } } });
    }
    if (path == u"/events") {
        if (request.method() != "GET")
            return HttpResponse::jsonError(405, QStringLiteral("use GET for /events"));
        return HttpResponse::json(200, { { QStringLiteral("events"), m_log->toJson() } });
    }
    return HttpResponse::jsonError(404,
        QStringLiteral("no such endpoint: %1 (POST /faults, GET /events, GET /limits)").arg(path.left(200)));
}

} // namespace sb::app
