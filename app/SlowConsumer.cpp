#include "app/SlowConsumer.h"

#include "protocol/NodeApi.h"
#include "protocol/StompEncoder.h"

#include <QRandomGenerator>

namespace sb::app {

namespace nodeapi = protocol::nodeapi;

namespace {
constexpr qsizetype kMaxHandshakeBytes = 16 * 1024;

QByteArray randomBytes(int count)
{
    QByteArray bytes(count, '\0');
    for (char &byte : bytes)
        byte = char(QRandomGenerator::global()->bounded(256));
    return bytes;
}

// One masked, final text frame (RFC 6455 §5.2: a client masks everything it sends).
QByteArray maskedTextFrame(const QByteArray &payload)
{
    QByteArray frame;
    frame.append(char(0x81));
    const qsizetype size = payload.size();
    if (size < 126) {
        frame.append(char(0x80 | size));
    } else if (size <= 0xFFFF) {
        frame.append(char(0x80 | 126));
        frame.append(char((size >> 8) & 0xFF)).append(char(size & 0xFF));
    } else {
        frame.append(char(0x80 | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            frame.append(char((quint64(size) >> shift) & 0xFF));
    }
    const QByteArray mask = randomBytes(4);
    frame.append(mask);
    for (qsizetype i = 0; i < size; ++i)
        frame.append(char(payload.at(i) ^ mask.at(i % 4)));
    return frame;
}
} // namespace

SlowConsumer::SlowConsumer(DemoReplica replica, QByteArray token, QStringList channels, QObject *parent)
    : QObject(parent)
    , m_replica(std::move(replica))
    , m_token(std::move(token))
    , m_channels(std::move(channels))
{ }

void SlowConsumer::start()
{
    m_socket.setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, kReceiveBufferBytes);
    connect(&m_socket, &QTcpSocket::connected, this, [this] {
        const QUrl &url = m_replica.url;
        m_socket.write("GET " + QByteArray(nodeapi::StompPath.data(), nodeapi::StompPath.size())
            + " HTTP/1.1\r\n"
              "Host: "
            + url.host().toUtf8() + ':' + QByteArray::number(url.port())
            + "\r\n"
              "Upgrade: websocket\r\nConnection: Upgrade\r\n"
              "Sec-WebSocket-Key: "
            + randomBytes(16).toBase64()
            + "\r\n"
              "Sec-WebSocket-Version: 13\r\n"
              "Sec-WebSocket-Protocol: "
            + QByteArray(nodeapi::StompSubprotocol.data(), nodeapi::StompSubprotocol.size()) + "\r\n\r\n");
    });
    connect(&m_socket, &QTcpSocket::readyRead, this, &SlowConsumer::onHandshakeBytes);
    m_socket.connectToHost(m_replica.url.host(), quint16(m_replica.url.port()));
}

void SlowConsumer::onHandshakeBytes()
{
    m_head += m_socket.readAll();
    if (!m_head.contains("\r\n\r\n")) {
        if (m_head.size() > kMaxHandshakeBytes)
            m_socket.abort();
        return;
    }
    if (!m_head.startsWith("HTTP/1.1 101")) {
        m_socket.abort();
        return;
    }
    // Upgraded: CONNECT (its frames before CONNECTED are held and run in order by the node),
    // the subscriptions, and then not one more byte read.
    disconnect(&m_socket, &QTcpSocket::readyRead, this, &SlowConsumer::onHandshakeBytes);
    m_socket.setReadBufferSize(1);
    sendText(nodeapi::stompConnect(m_token));
    int id = 0;
    for (const QString &channel : std::as_const(m_channels))
        sendText(nodeapi::stompSubscribe(
            QByteArray::number(++id), QByteArray("/topic/channels." + channel.toUtf8())));
    sendText(nodeapi::stompSubscribe(QByteArray::number(++id), "/topic/presence"));
    m_stalled = true;
}

void SlowConsumer::sendText(const QByteArray &payload)
{
    m_socket.write(maskedTextFrame(payload));
}

} // namespace sb::app
