#pragma once

#include "protocol/HttpHeaders.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace sb::protocol {

// Builds an HTTP/1.1 response. serialize() owns the framing: it writes Content-Length
// itself and drops any Content-Length/Transfer-Encoding the caller set, so a handler can
// never emit a response whose length disagrees with its body.
class HttpResponse
{
public:
    explicit HttpResponse(int status = 200);

    int status() const { return m_status; }
    void setStatus(int status) { m_status = status; }
    QByteArray reasonPhrase() const { return reasonPhrase(m_status); }
    // "Not Found" etc.; "Unknown" for codes outside the table.
    static QByteArray reasonPhrase(int status);

    HttpHeaders &headers() { return m_headers; }
    const HttpHeaders &headers() const { return m_headers; }
    // Return false (and change nothing) for an invalid name or a value with CR/LF/NUL.
    bool setHeader(const QByteArray &name, const QByteArray &value) { return m_headers.set(name, value); }
    bool addHeader(const QByteArray &name, const QByteArray &value) { return m_headers.append(name, value); }

    QByteArray body() const { return m_body; }
    void setBody(const QByteArray &body, const QByteArray &contentType = {});
    void setJsonBody(const QJsonObject &object);
    // Adds "Connection: close": the server must close after writing this response.
    void setCloseConnection(bool close);
    bool closesConnection() const { return m_headers.hasToken("Connection", "close"); }

    // Status line, fields, Content-Length and body. 1xx, 204 and 304 get neither a
    // Content-Length nor a body (RFC 9110 8.6, 6.4.1).
    QByteArray serialize() const;
    // Status line and fields only, without Content-Length: the head of a stream (SSE)
    // whose end is the connection close. The body is not included.
    QByteArray serializeHead() const;

    static HttpResponse json(int status, const QJsonObject &object);
    // {"error": message, "status": status} with Content-Type application/json.
    static HttpResponse jsonError(int status, const QString &message);
    // RFC 6455 4.2.2: base64(SHA-1(key + GUID)) for the 101 response's Sec-WebSocket-Accept.
    static QByteArray webSocketAccept(QByteArrayView key);

private:
    QByteArray serializeFields(bool withLength) const;

    int m_status = 200;
    HttpHeaders m_headers;
    QByteArray m_body;
};

} // namespace sb::protocol
