#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <QTcpSocket>

#include <memory>

class QProcess;

namespace sb::testing {

// A real `switchboard node` child ($SB_BINARY) on 127.0.0.1 port 0 with the demo users.
// start() waits (bounded) for its `listening http://HOST:PORT` line. The destructor kills
// it by pid (SIGKILL) unless it has already exited. Blocking waits are fine in a fixture.
class NodeProcess
{
public:
    NodeProcess();
    ~NodeProcess();
    NodeProcess(const NodeProcess &) = delete;
    NodeProcess &operator=(const NodeProcess &) = delete;

    bool start(const QStringList &extraArgs = {});
    quint16 port() const { return m_port; }
    qint64 pid() const;
    // Sends SIGTERM (graceful drain).
    void terminate();
    // Waits for exit; false on timeout. exitCode() is then valid.
    bool waitForExit(int timeoutMs);
    bool isRunning() const;
    int exitCode() const;
    QByteArray standardError();
    QString errorString() const { return m_error; }

private:
    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;
    QString m_error;
    QByteArray m_stderr;
};

struct HttpResult
{
    int status = 0; // 0: no (parsable) response
    QHash<QByteArray, QByteArray> headers; // lower-case names
    QByteArray body;
    QByteArray raw;
};

// Writes raw bytes to the node and reads until the peer closes or a full response with
// Content-Length arrives; bounded by timeoutMs.
HttpResult rawHttp(quint16 port, const QByteArray &bytes, int timeoutMs = 5000);
HttpResult httpGet(quint16 port, const QByteArray &path, const QByteArray &token = {});
HttpResult httpPost(
    quint16 port, const QByteArray &path, const QByteArray &json, const QByteArray &token = {});
// Parses one response from the start of raw; status 0 when incomplete.
HttpResult parseHttpResponse(const QByteArray &raw, qsizetype *consumed = nullptr);

// GET /api/sse with the bearer token (and Last-Event-ID when given); returns the socket once
// the response head is read, its status in *status (0: none within 5 s).
std::unique_ptr<QTcpSocket> openSseStream(
    quint16 port, const QByteArray &token, const QByteArray &lastEventId, int *status);

// POST /api/auth/login with password = name; the access token or empty.
QByteArray login(quint16 port, const QString &user);
QByteArray metricsText(quint16 port);
// One Prometheus sample value, e.g. metricValue(text, "sb_dropped_total{reason=\"x\"}"); 0 if absent.
double metricValue(const QByteArray &text, const QByteArray &sample);
// The samples a drop is counted in: sb_dropped_total{reason="<reason>"}, and for a slow
// consumer also sb_slow_consumers_total{limit="<limit>"}, the limit that cut it off
// ("outbound_bytes", "outbound_age").
QByteArray droppedTotal(const char *reason);
QByteArray slowConsumersTotal(const char *limit);
// Polls /metrics until sample >= atLeast or timeout; returns the last value.
double waitForMetric(quint16 port, const QByteArray &sample, double atLeast, int timeoutMs = 5000);
// Polls /metrics until sample <= atMost or timeout; returns the first value that met it, or
// the last one read. One reading settles it: the caller's own earlier requests may still be
// closing on the node, so re-reading a connection gauge can show one more for a moment.
double waitForMetricAtMost(quint16 port, const QByteArray &sample, double atMost, int timeoutMs = 5000);

// A deliberately raw RFC 6455 client over QTcpSocket, so tests control every byte (invalid
// UTF-8, oversized frames) and can stop reading altogether (slow consumer).
class RawWebSocket
{
public:
    struct Message
    {
        int opcode = -1; // 1 text, 2 binary, 8 close, 9 ping, 10 pong; -1 none
        QByteArray payload;
        int closeCode() const;
    };

    // Receive buffer size to set before connecting (0: default); small makes a slow reader.
    explicit RawWebSocket(int receiveBufferBytes = 0);
    // Performs the upgrade; returns the HTTP status of the handshake response (101 on success).
    int open(quint16 port, const QByteArray &path = QByteArrayLiteral("/ws"),
        const QByteArray &subprotocol = QByteArrayLiteral("v12.stomp"), const QByteArray &extraHeaders = {});
    bool sendFrame(int opcode, const QByteArray &payload, bool fin = true);
    bool sendText(const QByteArray &payload) { return sendFrame(1, payload); }
    bool sendBinary(const QByteArray &payload) { return sendFrame(2, payload); }
    // The next data or close message (pings are answered), or opcode -1 on timeout/EOF.
    Message read(int timeoutMs = 5000);
    // Reads until a close frame or EOF; returns the close code (0: EOF without close frame,
    // -1: still open at the deadline).
    int waitForClose(int timeoutMs = 5000);
    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    QTcpSocket &socket() { return m_socket; }
    QByteArray handshakeResponse() const { return m_handshake; }

private:
    bool parseBuffered(Message *out);

    QTcpSocket m_socket;
    QByteArray m_buffer;
    QByteArray m_handshake;
    bool m_sawEof = false;
};

// STOMP over a RawWebSocket: CONNECT with a bearer token; returns the CONNECTED (or ERROR) frame text.
QByteArray stompConnect(
    RawWebSocket &ws, const QByteArray &token, const QByteArray &heartBeat = QByteArrayLiteral("0,0"));
// Opens ws as `user` (password = name), CONNECTs and subscribes to the general channel with
// subscription `id` and a receipt; true once the RECEIPT is in.
bool subscribeToGeneral(RawWebSocket &ws, quint16 port, const QString &user, const QByteArray &id);
// What a client was sent before its close, read to the end: its last data frame that is not
// a heart-beat, and how many were MESSAGEs. Stops at the close frame, EOF or silenceMs of
// nothing.
struct SentBeforeClose
{
    QByteArray lastData;
    int messages = 0;
};
SentBeforeClose readUntilClose(RawWebSocket &ws, int silenceMs = 3000);
// The value of a header in a STOMP frame's text (first occurrence), or empty.
QByteArray stompHeader(const QByteArray &frame, const QByteArray &name);
QByteArray stompFrame(const QByteArray &command, const QList<QPair<QByteArray, QByteArray>> &headers,
    const QByteArray &body = {});

} // namespace sb::testing
