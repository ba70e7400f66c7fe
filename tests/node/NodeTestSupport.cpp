#include "NodeTestSupport.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QThread>

#include <csignal>
#include <sys/types.h>

namespace sb::testing {

// ---------------------------------------------------------------- NodeProcess

NodeProcess::NodeProcess()
    : m_process(std::make_unique<QProcess>())
{ }

NodeProcess::~NodeProcess()
{
    if (isRunning()) {
        ::kill(pid_t(m_process->processId()), SIGKILL);
        m_process->waitForFinished(5000);
    }
}

bool NodeProcess::start(const QStringList &extraArgs)
{
    const QString binary = qEnvironmentVariable("SB_BINARY");
    if (binary.isEmpty()) {
        m_error = QStringLiteral("SB_BINARY is not set (CTest sets it to the switchboard binary)");
        return false;
    }
    QStringList args { QStringLiteral("node"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
        QStringLiteral("--demo-users"), QStringLiteral("--workers"), QStringLiteral("2") };
    args += extraArgs;
    m_process->setProgram(binary);
    m_process->setArguments(args);
    m_process->start();
    if (!m_process->waitForStarted(5000)) {
        m_error = QStringLiteral("cannot start %1: %2").arg(binary, m_process->errorString());
        return false;
    }
    QByteArray out;
    const QDeadlineTimer deadline(15000);
    static const QRegularExpression line(QStringLiteral("listening http://127\\.0\\.0\\.1:(\\d+)\n"));
    while (!deadline.hasExpired()) {
        if (m_process->state() != QProcess::Running)
            break;
        m_process->waitForReadyRead(int(qMax<qint64>(1, qMin<qint64>(200, deadline.remainingTime()))));
        out += m_process->readAllStandardOutput();
        m_stderr += m_process->readAllStandardError();
        const auto match = line.match(QString::fromUtf8(out));
        if (match.hasMatch()) {
            m_port = quint16(match.captured(1).toUInt());
            return true;
        }
    }
    m_stderr += m_process->readAllStandardError();
    m_error = QStringLiteral("no 'listening' line (stdout '%1', stderr '%2')")
                  .arg(QString::fromUtf8(out), QString::fromUtf8(m_stderr));
    return false;
}

qint64 NodeProcess::pid() const
{
    return m_process->processId();
}

void NodeProcess::terminate()
{
    if (isRunning())
        ::kill(pid_t(m_process->processId()), SIGTERM);
}

bool NodeProcess::waitForExit(int timeoutMs)
{
    if (!isRunning())
        return true;
    return m_process->waitForFinished(timeoutMs);
}

bool NodeProcess::isRunning() const
{
    return m_process->state() != QProcess::NotRunning;
}

int NodeProcess::exitCode() const
{
    return m_process->exitStatus() == QProcess::NormalExit ? m_process->exitCode() : -1;
}

QByteArray NodeProcess::standardError()
{
    m_stderr += m_process->readAllStandardError();
    return m_stderr;
}

// ---------------------------------------------------------------- HTTP

HttpResult parseHttpResponse(const QByteArray &raw, qsizetype *consumed)
{
    HttpResult result;
    result.raw = raw;
    const qsizetype headEnd = raw.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return result;
    const QList<QByteArray> lines = raw.left(headEnd).split('\n');
    const QList<QByteArray> statusLine = lines.value(0).trimmed().split(' ');
    if (statusLine.size() < 2 || !statusLine.at(0).startsWith("HTTP/1."))
        return result;
    QHash<QByteArray, QByteArray> headers;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines.at(i).indexOf(':');
        if (colon > 0)
            headers.insert(lines.at(i).left(colon).trimmed().toLower(), lines.at(i).mid(colon + 1).trimmed());
    }
    const qsizetype bodyStart = headEnd + 4;
    qsizetype bodyEnd = raw.size();
    if (headers.contains("content-length")) {
        bodyEnd = bodyStart + headers.value("content-length").toLongLong();
        if (raw.size() < bodyEnd)
            return result; // incomplete
    }
    result.status = statusLine.at(1).toInt();
    result.headers = headers;
    result.body = raw.mid(bodyStart, bodyEnd - bodyStart);
    if (consumed)
        *consumed = bodyEnd;
    return result;
}

HttpResult rawHttp(quint16 port, const QByteArray &bytes, int timeoutMs)
{
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    const QDeadlineTimer deadline(timeoutMs);
    if (!socket.waitForConnected(int(deadline.remainingTime())))
        return {};
    socket.write(bytes);
    QByteArray raw;
    while (!deadline.hasExpired()) {
        socket.waitForReadyRead(int(qMax<qint64>(1, qMin<qint64>(100, deadline.remainingTime()))));
        raw += socket.readAll();
        HttpResult result = parseHttpResponse(raw);
        if (result.status != 0 && result.headers.contains("content-length"))
            return result;
        if (socket.state() != QAbstractSocket::ConnectedState) {
            raw += socket.readAll();
            return parseHttpResponse(raw);
        }
    }
    HttpResult partial = parseHttpResponse(raw);
    partial.raw = raw;
    return partial;
}

HttpResult httpGet(quint16 port, const QByteArray &path, const QByteArray &token)
{
    QByteArray request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    if (!token.isEmpty())
        request += "Authorization: Bearer " + token + "\r\n";
    return rawHttp(port, request + "\r\n");
}

HttpResult httpPost(quint16 port, const QByteArray &path, const QByteArray &json, const QByteArray &token)
{
    QByteArray request = "POST " + path
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
          "Content-Type: application/json\r\nContent-Length: "
        + QByteArray::number(json.size()) + "\r\n";
    if (!token.isEmpty())
        request += "Authorization: Bearer " + token + "\r\n";
    return rawHttp(port, request + "\r\n" + json);
}

std::unique_ptr<QTcpSocket> openSseStream(
    quint16 port, const QByteArray &token, const QByteArray &lastEventId, int *status)
{
    auto socket = std::make_unique<QTcpSocket>();
    socket->connectToHost(QStringLiteral("127.0.0.1"), port);
    *status = 0;
    if (!socket->waitForConnected(5000))
        return socket;
    QByteArray request
        = "GET /api/sse HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token + "\r\n";
    if (!lastEventId.isEmpty())
        request += "Last-Event-ID: " + lastEventId + "\r\n";
    socket->write(request + "\r\n");
    QByteArray head;
    const QDeadlineTimer deadline(5000);
    while (!head.contains("\r\n\r\n") && !deadline.hasExpired()) {
        socket->waitForReadyRead(50);
        head += socket->readAll();
    }
    *status = head.split(' ').value(1).toInt();
    return socket;
}

QByteArray login(quint16 port, const QString &user)
{
    const QByteArray body = QJsonDocument(
        QJsonObject { { QStringLiteral("username"), user },
            { QStringLiteral("password"),
                user } }).toJson(QJsonDocument::Compact);
    const HttpResult result = httpPost(port, "/api/auth/login", body);
    if (result.status != 200)
        return {};
    return QJsonDocument::fromJson(result.body)
        .object()
        .value(QStringLiteral("accessToken"))
        .toString()
        .toUtf8();
}

QByteArray metricsText(quint16 port)
{
    return httpGet(port, "/metrics").body;
}

double metricValue(const QByteArray &text, const QByteArray &sample)
{
    for (const QByteArray &line : text.split('\n'))
        if (line.startsWith(QByteArray(sample + ' ')))
            return line.mid(sample.size() + 1).toDouble();
    return 0;
}

QByteArray droppedTotal(const char *reason)
{
    return QByteArrayLiteral("sb_dropped_total{reason=\"") + reason + QByteArrayLiteral("\"}");
}

QByteArray slowConsumersTotal(const char *limit)
{
    return QByteArrayLiteral("sb_slow_consumers_total{limit=\"") + limit + QByteArrayLiteral("\"}");
}

namespace {
template<typename Done> double pollMetric(quint16 port, const QByteArray &sample, int timeoutMs, Done done)
{
    const QDeadlineTimer deadline(timeoutMs);
    double value = 0;
    do {
        value = metricValue(metricsText(port), sample);
        if (done(value))
            return value;
        QThread::msleep(50);
    } while (!deadline.hasExpired());
    return value;
}
} // namespace

double waitForMetric(quint16 port, const QByteArray &sample, double atLeast, int timeoutMs)
{
    return pollMetric(port, sample, timeoutMs, [atLeast](double value) { return value >= atLeast; });
}

double waitForMetricAtMost(quint16 port, const QByteArray &sample, double atMost, int timeoutMs)
{
    return pollMetric(port, sample, timeoutMs, [atMost](double value) { return value <= atMost; });
}

// ---------------------------------------------------------------- RawWebSocket

int RawWebSocket::Message::closeCode() const
{
    if (opcode != 8 || payload.size() < 2)
        return 0;
    return (quint8(payload.at(0)) << 8) | quint8(payload.at(1));
}

RawWebSocket::RawWebSocket(int receiveBufferBytes)
{
    if (receiveBufferBytes > 0)
        m_socket.setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, receiveBufferBytes);
}

int RawWebSocket::open(
    quint16 port, const QByteArray &path, const QByteArray &subprotocol, const QByteArray &extraHeaders)
{
    m_socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    if (!m_socket.waitForConnected(5000))
        return 0;
    QByteArray nonce(16, Qt::Uninitialized);
    for (char &c : nonce)
        c = char(QRandomGenerator::global()->bounded(256));
    QByteArray request = "GET " + path
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          "Sec-WebSocket-Key: "
        + nonce.toBase64() + "\r\nSec-WebSocket-Version: 13\r\n";
    if (!subprotocol.isEmpty())
        request += "Sec-WebSocket-Protocol: " + subprotocol + "\r\n";
    m_socket.write(request + extraHeaders + "\r\n");
    const QDeadlineTimer deadline(5000);
    while (!deadline.hasExpired()) {
        m_socket.waitForReadyRead(50);
        m_buffer += m_socket.readAll();
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end >= 0) {
            m_handshake = m_buffer.left(end + 4);
            const int status = m_handshake.split(' ').value(1).toInt();
            if (status == 101) {
                m_buffer.remove(0, end + 4);
                return status;
            }
            // An error response: let the body arrive too.
            qsizetype consumed = 0;
            while (parseHttpResponse(m_buffer, &consumed).status == 0 && !deadline.hasExpired()
                && m_socket.state() == QAbstractSocket::ConnectedState) {
                m_socket.waitForReadyRead(50);
                m_buffer += m_socket.readAll();
            }
            m_handshake = m_buffer;
            return status;
        }
        if (m_socket.state() != QAbstractSocket::ConnectedState)
            break;
    }
    return 0;
}

bool RawWebSocket::sendFrame(int opcode, const QByteArray &payload, bool fin)
{
    if (m_socket.state() != QAbstractSocket::ConnectedState)
        return false;
    QByteArray frame;
    frame.append(char((fin ? 0x80 : 0) | (opcode & 0x0f)));
    const quint64 size = quint64(payload.size());
    if (size < 126) {
        frame.append(char(0x80 | size));
    } else if (size < 65536) {
        frame.append(char(0x80 | 126));
        frame.append(char(size >> 8)).append(char(size & 0xff));
    } else {
        frame.append(char(0x80 | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            frame.append(char((size >> shift) & 0xff));
    }
    const quint32 mask = QRandomGenerator::global()->generate();
    const char maskBytes[4] = { char(mask >> 24), char(mask >> 16), char(mask >> 8), char(mask) };
    frame.append(maskBytes, 4);
    QByteArray masked = payload;
    for (qsizetype i = 0; i < masked.size(); ++i)
        masked[i] = char(masked.at(i) ^ maskBytes[i % 4]);
    frame += masked;
    m_socket.write(frame);
    return m_socket.waitForBytesWritten(5000) || m_socket.bytesToWrite() == 0;
}

bool RawWebSocket::parseBuffered(Message *out)
{
    if (m_buffer.size() < 2)
        return false;
    const quint8 b0 = quint8(m_buffer.at(0));
    const quint8 b1 = quint8(m_buffer.at(1));
    quint64 length = b1 & 0x7f;
    qsizetype offset = 2;
    if (length == 126) {
        if (m_buffer.size() < 4)
            return false;
        length = (quint64(quint8(m_buffer.at(2))) << 8) | quint8(m_buffer.at(3));
        offset = 4;
    } else if (length == 127) {
        if (m_buffer.size() < 10)
            return false;
        length = 0;
        for (int i = 0; i < 8; ++i)
            length = (length << 8) | quint8(m_buffer.at(2 + i));
        offset = 10;
    }
    const bool masked = b1 & 0x80; // a server never masks, but be tolerant
    if (masked)
        offset += 4;
    if (quint64(m_buffer.size() - offset) < length)
        return false;
    out->opcode = b0 & 0x0f;
    out->payload = m_buffer.mid(offset, qsizetype(length));
    m_buffer.remove(0, offset + qsizetype(length));
    return true;
}

RawWebSocket::Message RawWebSocket::read(int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        Message message;
        while (parseBuffered(&message)) {
            if (message.opcode == 9) {
                sendFrame(10, message.payload);
                continue;
            }
            if (message.opcode == 10)
                continue;
            return message;
        }
        if (m_sawEof)
            return {};
        if (m_socket.state() != QAbstractSocket::ConnectedState) {
            m_buffer += m_socket.readAll();
            m_sawEof = true;
            continue;
        }
        // Always poll the OS once, even with no time left: read(0) means "what has arrived".
        const bool expired = deadline.hasExpired();
        m_socket.waitForReadyRead(
            expired ? 0 : int(qMax<qint64>(1, qMin<qint64>(50, deadline.remainingTime()))));
        const QByteArray fresh = m_socket.readAll();
        m_buffer += fresh;
        if (expired && fresh.isEmpty()) {
            if (parseBuffered(&message) && message.opcode != 9 && message.opcode != 10)
                return message;
            return {};
        }
    }
}

int RawWebSocket::waitForClose(int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        const Message message = read(int(qMax<qint64>(1, deadline.remainingTime())));
        if (message.opcode == 8)
            return message.closeCode() == 0 ? 1005 : message.closeCode();
        if (message.opcode == -1 && (m_sawEof || m_socket.state() != QAbstractSocket::ConnectedState))
            return 0;
    }
    return -1;
}

// ---------------------------------------------------------------- STOMP helpers

QByteArray stompFrame(
    const QByteArray &command, const QList<QPair<QByteArray, QByteArray>> &headers, const QByteArray &body)
{
    QByteArray frame = command + '\n';
    for (const auto &[name, value] : headers)
        frame += name + ':' + value + '\n';
    frame += '\n' + body;
    frame += '\0';
    return frame;
}

QByteArray stompConnect(RawWebSocket &ws, const QByteArray &token, const QByteArray &heartBeat)
{
    ws.sendText(stompFrame("CONNECT",
        { { "accept-version", "1.2" }, { "host", "127.0.0.1" }, { "Authorization", "Bearer " + token },
            { "heart-beat", heartBeat } }));
    for (;;) {
        const RawWebSocket::Message message = ws.read(5000);
        if (message.opcode != 1 && message.opcode != 2)
            return message.payload;
        if (message.payload.trimmed().isEmpty())
            continue; // heart-beat
        return message.payload;
    }
}

bool subscribeToGeneral(RawWebSocket &ws, quint16 port, const QString &user, const QByteArray &id)
{
    if (ws.open(port) != 101 || !stompConnect(ws, login(port, user)).startsWith("CONNECTED"))
        return false;
    ws.sendText(stompFrame(
        "SUBSCRIBE", { { "id", id }, { "destination", "/topic/channels.general" }, { "receipt", "r" } }));
    return ws.read().payload.startsWith("RECEIPT");
}

SentBeforeClose readUntilClose(RawWebSocket &ws, int silenceMs)
{
    SentBeforeClose sent;
    for (;;) {
        const RawWebSocket::Message m = ws.read(silenceMs);
        if (m.opcode != 1 && m.opcode != 2)
            return sent;
        if (!m.payload.trimmed().isEmpty())
            sent.lastData = m.payload;
        if (m.payload.startsWith("MESSAGE"))
            ++sent.messages;
    }
}

QByteArray stompHeader(const QByteArray &frame, const QByteArray &name)
{
    const qsizetype headEnd = frame.indexOf("\n\n");
    const QList<QByteArray> lines = frame.left(headEnd < 0 ? frame.size() : headEnd).split('\n');
    for (qsizetype i = 1; i < lines.size(); ++i)
        if (lines.at(i).startsWith(QByteArray(name + ':')))
            return lines.at(i).mid(name.size() + 1);
    return {};
}

} // namespace sb::testing
