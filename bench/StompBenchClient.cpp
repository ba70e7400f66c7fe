#include "StompBenchClient.h"

#include "protocol/NodeApi.h"
#include "protocol/StompEncoder.h"
#include "protocol/StompFrame.h"

using sb::protocol::StompEncoder;
using sb::protocol::StompFrame;

StompBenchClient::StompBenchClient(const QUrl &url, const QByteArray &token, QObject *parent)
    : QObject(parent)
    , m_token(token)
{
    connect(&m_socket, &QWebSocket::connected, this, [this] {
        m_socket.sendTextMessage(QString::fromUtf8(sb::protocol::nodeapi::stompConnect(m_token, "bench")));
    });
    connect(
        &m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &t) { onBytes(t.toUtf8()); });
    connect(&m_socket, &QWebSocket::binaryMessageReceived, this, &StompBenchClient::onBytes);
    connect(&m_socket, &QWebSocket::disconnected, this, [this] { emit failed(m_socket.closeReason()); });
    QNetworkRequest request(url);
    request.setRawHeader("Sec-WebSocket-Protocol",
        QByteArray(
            sb::protocol::nodeapi::StompSubprotocol.data(), sb::protocol::nodeapi::StompSubprotocol.size()));
    m_socket.open(request);
}

void StompBenchClient::subscribe(const QByteArray &destination)
{
    StompFrame frame("SUBSCRIBE");
    frame.addHeader("id", "0");
    frame.addHeader("destination", destination);
    frame.addHeader("receipt", "sub");
    m_socket.sendTextMessage(QString::fromUtf8(StompEncoder::encode(frame)));
}

void StompBenchClient::send(const QByteArray &destination, const QByteArray &body)
{
    StompFrame frame("SEND");
    frame.addHeader("destination", destination);
    frame.addHeader("content-type", "application/json");
    frame.setBody(body);
    m_socket.sendTextMessage(QString::fromUtf8(StompEncoder::encode(frame)));
}

void StompBenchClient::onBytes(const QByteArray &bytes)
{
    m_decoder.feed(bytes);
    for (;;) {
        switch (m_decoder.next()) {
        case sb::protocol::StompDecoder::Status::NeedMoreData:
            return;
        case sb::protocol::StompDecoder::Status::HeartBeat:
            continue;
        case sb::protocol::StompDecoder::Status::Error:
            emit failed(m_decoder.errorString());
            return;
        case sb::protocol::StompDecoder::Status::Frame: {
            const StompFrame frame = m_decoder.takeFrame();
            if (frame.command() == "CONNECTED")
                emit connected();
            else if (frame.command() == "RECEIPT")
                emit subscribed();
            else if (frame.command() == "MESSAGE" && onMessage)
                onMessage(frame.body());
            else if (frame.command() == "ERROR")
                emit failed(QString::fromUtf8(frame.header("message")));
            break;
        }
        }
    }
}
