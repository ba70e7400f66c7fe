#pragma once

#include "protocol/StompDecoder.h"

#include <QObject>
#include <QWebSocket>

#include <functional>

// One STOMP-over-WebSocket client for the benchmark: connects with a bearer token,
// subscribes to one destination and reports every MESSAGE body it receives.
class StompBenchClient : public QObject
{
    Q_OBJECT
public:
    StompBenchClient(const QUrl &url, const QByteArray &token, QObject *parent = nullptr);

    void subscribe(const QByteArray &destination);
    void send(const QByteArray &destination, const QByteArray &body);
    std::function<void(const QByteArray &body)> onMessage;

signals:
    void connected();
    void subscribed();
    void failed(const QString &why);

private:
    void onBytes(const QByteArray &bytes);

    QWebSocket m_socket;
    QByteArray m_token;
    sb::protocol::StompDecoder m_decoder { sb::protocol::StompDecoder::Accept::ServerFrames };
};
