#include "SyntheticTapServer.h"

#include "node/NodeMetrics.h"
#include "node/TapReader.h"

#include <QDateTime>
#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>
#include <QWebSocket>
#include <QWebSocketServer>

namespace {
// The node's limits for a tap reader (NodeConfig: tapQueueFrames, maxOutboundQueueBytes).
constexpr int kTapQueueFrames = 10000;
constexpr qint64 kTapUnsentBytes = 1024 * 1024;
constexpr int kTickMs = 2;
} // namespace

SyntheticTapServer::SyntheticTapServer(QString node, int replicaIndex, double framesPerSecond)
    : m_node(std::move(node))
    , m_rate(framesPerSecond)
    , m_frames(m_node, replicaIndex, quint32(0x5b000 + replicaIndex))
    , m_metrics(std::make_unique<sb::node::NodeMetrics>())
    , m_timer(this) // parented, so moveToThread() takes it along
{
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(kTickMs);
    connect(&m_timer, &QTimer::timeout, this, [this] { tick(); });
}

SyntheticTapServer::~SyntheticTapServer() = default;

quint16 SyntheticTapServer::listen()
{
    // The WebSocket server is handed each upgrade by the TCP server in front of it (as the
    // node's WebSocketUpgrade is), which answers the admin login itself.
    m_server = new QWebSocketServer(m_node, QWebSocketServer::NonSecureMode, this);
    connect(m_server, &QWebSocketServer::newConnection, this, [this] { onNewConnection(); });
    m_tcp = new QTcpServer(this);
    connect(m_tcp, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *socket = m_tcp->nextPendingConnection())
            connect(socket, &QTcpSocket::readyRead, this, [this, socket] { routeRequest(socket); });
    });
    if (!m_tcp->listen(QHostAddress::LocalHost, 0))
        return 0;
    return m_tcp->serverPort();
}

void SyntheticTapServer::routeRequest(QTcpSocket *socket)
{
    // Peeked, not read: an upgrade's handshake stays in the socket for the WebSocket server.
    const QByteArray head = socket->peek(socket->bytesAvailable());
    const qsizetype headEnd = head.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return;
    if (!head.startsWith("POST ")) {
        socket->disconnect(this);
        m_server->handleConnection(socket);
        return;
    }
    // A console logging in as admin (TapCredentials with a user): any user is let in, and
    // the token is not checked on the upgrade; authentication is not what is measured.
    qsizetype bodyLength = 0;
    for (const QByteArray &line : head.left(headEnd).split('\n'))
        if (line.toLower().startsWith("content-length:"))
            bodyLength = line.mid(15).trimmed().toLongLong();
    if (head.size() < headEnd + 4 + bodyLength)
        return;
    socket->disconnect(this);
    socket->readAll();
    const QByteArray body = QByteArrayLiteral("{\"accessToken\":\"bench-token\"}");
    socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: "
        + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    socket->disconnectFromHost();
}

void SyntheticTapServer::onNewConnection()
{
    while (QWebSocket *socket = m_server->nextPendingConnection()) {
        if (socket->requestUrl().path() != u"/admin/tap" || m_reader) {
            socket->close(
                QWebSocketProtocol::CloseCodePolicyViolated, QStringLiteral("one tap reader, on /admin/tap"));
            socket->deleteLater();
            continue;
        }
        m_reader = new sb::node::TapReader(socket, kTapQueueFrames, kTapUnsentBytes, m_metrics.get(), this);
        connect(m_reader, &sb::node::TapReader::closed, this, [this](sb::node::TapReader *reader) {
            m_attached = false;
            reader->deleteLater();
        });
        m_attached = true;
    }
}

void SyntheticTapServer::startSending()
{
    m_clock.start();
    m_timer.start();
}

void SyntheticTapServer::tick()
{
    if (!m_reader)
        return;
    const qint64 due = qint64(m_rate * double(m_clock.nsecsElapsed()) / 1e9);
    // A tick the scheduler delayed sends what fell due since, but never more than 100 ms'
    // worth in one burst: the pace stays the requested one on average.
    const qint64 burst = qMin(due - m_generated.load(), qint64(m_rate / 10) + 1);
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    qint64 bytes = 0;
    for (qint64 i = 0; i < burst; ++i) {
        const QByteArray json = m_frames.next(m_generated.load() + 1, nowMs);
        bytes += json.size();
        m_kinds[int(m_frames.lastKind())].fetch_add(1, std::memory_order_relaxed);
        m_reader->enqueue(json);
        m_generated.fetch_add(1, std::memory_order_relaxed);
    }
    m_bytes.fetch_add(bytes, std::memory_order_relaxed);
    m_dropped = m_reader->droppedFrames();
}

void SyntheticTapServer::stopSending(const std::function<void()> &done)
{
    m_timer.stop();
    // Queued behind the reader's own flush of what the last tick enqueued (same thread,
    // posted later), so the drop count is final when this runs.
    QMetaObject::invokeMethod(
        this,
        [this, done] {
            if (m_reader)
                m_dropped = m_reader->droppedFrames();
            done();
        },
        Qt::QueuedConnection);
}
