#pragma once

#include "inspect/TapEndpoint.h"
#include "inspect/TapSourceStatus.h"
#include "protocol/TapFrameCodec.h"

#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QWebSocket>

namespace sb::inspect {

class TrafficBatcher;

// Reads one replica's /admin/tap: logs in with the admin credentials (or uses the token),
// opens the WebSocket with the token in its Authorization header, decodes each frame and
// hands it to the batcher. Reconnects with back-off (1, 2, 4 … 30 s) when the replica goes
// away; stops retrying when the credentials are refused. Frames the node dropped for this
// reader (it says so in a notice) are counted and shown as "lagging", never lost silently.
// Asynchronous, on the capture thread; never waits.
class TapClient : public QObject
{
    Q_OBJECT
public:
    static constexpr int kFirstRetryMs = 1000;
    static constexpr int kMaxRetryMs = 30000;
    static constexpr int kLaggingHoldMs = 5000; // "lagging" this long after the node's last drop
    static constexpr int kLoginTimeoutMs = 5000;

    TapClient(
        TapEndpoint endpoint, TapCredentials credentials, TrafficBatcher *sink, QObject *parent = nullptr);
    ~TapClient() override;

    void start();
    void stop();
    const TapEndpoint &endpoint() const { return m_endpoint; }
    const TapSourceStatus &status() const { return m_status; }
    // The tap's URL for a replica's base URL: ws(s)://host:port/admin/tap.
    static QUrl tapUrl(const QUrl &baseUrl);

private:
    void login();
    void open(const QByteArray &token);
    void onText(const QString &message);
    void onFrame(QByteArrayView json);
    void onClosed();
    void retryLater(const QString &reason);
    void refuse(const QString &reason);
    void setState(TapSourceStatus::State state, const QString &detail);

    TapEndpoint m_endpoint;
    TapCredentials m_credentials;
    TrafficBatcher *m_sink;
    QNetworkAccessManager m_http;
    QPointer<QWebSocket> m_socket;
    QTimer m_retry;
    QTimer m_lagging;
    int m_retryMs = kFirstRetryMs;
    bool m_running = false;
    protocol::TapFrameCodec m_codec;
    TapSourceStatus m_status;
    qint64 m_badFrames = 0;
};

} // namespace sb::inspect
