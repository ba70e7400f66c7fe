#pragma once

#include "protocol/SockJsFrame.h"
#include "protocol/StompDecoder.h"
#include "protocol/StompEncoder.h"

#include <QHash>
#include <QStringList>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>

namespace sb::testing {

using namespace Qt::StringLiterals;

// A minimal STOMP 1.2 broker: CONNECTED, RECEIPT for any receipt header, MESSAGE to the
// subscriptions of a SEND's destination, RECEIPT and SockJS's c[3000,"Go away!"] for a
// DISCONNECT. Only the framing is real; that is what the probe's SockJS support needs.
class StompTestServer
{
public:
    explicit StompTestServer(bool sockJs)
        : m_sockJs(sockJs)
    {
        QObject::connect(&m_server, &QWebSocketServer::newConnection, &m_server, [this] { onConnection(); });
    }

    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    quint16 port() const { return m_server.serverPort(); }
    QWebSocket *client() const { return m_client; }

    void sendSockJs(const sb::protocol::SockJsFrame &frame)
    {
        sendRaw(sb::protocol::SockJsFrame::encode(frame));
    }
    void sendRaw(const QByteArray &text) { m_client->sendTextMessage(QString::fromUtf8(text)); }
    void sendStomp(const sb::protocol::StompFrame &frame)
    {
        const QByteArray bytes = sb::protocol::StompEncoder::encode(frame);
        if (m_sockJs)
            sendSockJs({ sb::protocol::SockJsFrame::Type::Messages, { bytes }, 0, {} });
        else
            sendRaw(bytes);
    }

    // What the CONNECTED frame offers, and whether the server says anything after it.
    QByteArray connectedHeartBeat = "0,0";
    bool sendSockJsHeartBeatFirst = false;
    QStringList requestPaths;
    QList<sb::protocol::StompFrame> received;
    int heartBeatsReceived = 0;

private:
    void onConnection()
    {
        m_client = m_server.nextPendingConnection();
        requestPaths << m_client->requestUrl().path();
        QObject::connect(m_client, &QWebSocket::textMessageReceived, m_client,
            [this](const QString &text) { onMessage(text.toUtf8()); });
        if (m_sockJs) {
            sendSockJs({ sb::protocol::SockJsFrame::Type::Open, {}, 0, {} });
            if (sendSockJsHeartBeatFirst)
                sendSockJs({ sb::protocol::SockJsFrame::Type::HeartBeat, {}, 0, {} });
        }
    }

    void onMessage(const QByteArray &payload)
    {
        QByteArrayList messages { payload };
        if (m_sockJs) {
            // A SockJS client sends a JSON array of strings: the same grammar as an `a` frame.
            QString error;
            const auto frame = sb::protocol::SockJsFrame::decode(QByteArray('a' + payload), &error);
            QVERIFY2(frame, qPrintable(u"the client sent a bad SockJS message: "_s + error));
            messages = frame->messages;
        }
        for (const QByteArray &message : std::as_const(messages)) {
            m_decoder.feed(message);
            for (auto status = m_decoder.next(); status != sb::protocol::StompDecoder::Status::NeedMoreData;
                 status = m_decoder.next()) {
                QVERIFY2(
                    status != sb::protocol::StompDecoder::Status::Error, qPrintable(m_decoder.errorString()));
                if (status == sb::protocol::StompDecoder::Status::HeartBeat)
                    ++heartBeatsReceived;
                else
                    handle(m_decoder.takeFrame());
            }
        }
    }

    void handle(const sb::protocol::StompFrame &frame)
    {
        received << frame;
        const QByteArray &command = frame.command();
        if (command == "CONNECT") {
            sendStomp(sb::protocol::StompFrame("CONNECTED",
                { { "version", "1.2" }, { "heart-beat", connectedHeartBeat }, { "session", "s-1" } }));
            return;
        }
        if (command == "SUBSCRIBE")
            m_subscriptions.insert(frame.header("id"), frame.header("destination"));
        if (command == "SEND") {
            for (auto it = m_subscriptions.cbegin(); it != m_subscriptions.cend(); ++it)
                if (it.value() == frame.header("destination"))
                    sendStomp(sb::protocol::StompFrame("MESSAGE",
                        { { "destination", it.value() }, { "subscription", it.key() },
                            { "message-id", "m-" + QByteArray::number(++m_messages) } },
                        frame.body()));
        }
        if (frame.hasHeader("receipt"))
            sendStomp(sb::protocol::StompFrame("RECEIPT", { { "receipt-id", frame.header("receipt") } }));
        if (command == "DISCONNECT" && m_sockJs)
            sendSockJs({ sb::protocol::SockJsFrame::Type::Close, {}, 3000, u"Go away!"_s });
    }

    bool m_sockJs;
    QWebSocketServer m_server { u"stomp-test"_s, QWebSocketServer::NonSecureMode };
    QWebSocket *m_client = nullptr;
    sb::protocol::StompDecoder m_decoder { sb::protocol::StompDecoder::Accept::ClientFrames };
    QHash<QByteArray, QByteArray> m_subscriptions;
    int m_messages = 0;
};

} // namespace sb::testing
