#pragma once

#include "protocol/HttpHeaders.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

namespace sb::protocol {

// One parsed HTTP/1.x request. Filled by HttpRequestParser; setters are public so
// handlers can be tested with hand-made requests.
class HttpRequest
{
public:
    enum class Version { Http10, Http11 };
    using QueryItem = QPair<QString, QString>;

    QByteArray method() const { return m_method; }
    void setMethod(const QByteArray &method) { m_method = method; }

    // The request-target exactly as sent (origin-form "/a?b", absolute-form "http://h/a", "*").
    QByteArray target() const { return m_target; }
    void setTarget(const QByteArray &target) { m_target = target; }

    // Percent-decoded path without the query; "/" for absolute-form targets without a path.
    // Decoding can turn "%2F" into "/", so routes that care about segments use rawPath().
    QString path() const { return m_path; }
    void setPath(const QString &path) { m_path = path; }
    QByteArray rawPath() const { return m_rawPath; }
    void setRawPath(const QByteArray &rawPath) { m_rawPath = rawPath; }

    // Query string as sent (no '?'), and its items decoded like a form: '+' is a space.
    QByteArray rawQuery() const { return m_rawQuery; }
    void setRawQuery(const QByteArray &rawQuery) { m_rawQuery = rawQuery; }
    const QList<QueryItem> &queryItems() const { return m_queryItems; }
    void setQueryItems(const QList<QueryItem> &items) { m_queryItems = items; }
    bool hasQueryItem(const QString &key) const;
    QString queryItemValue(const QString &key) const; // first match, or a null QString

    Version version() const { return m_version; }
    void setVersion(Version version) { m_version = version; }

    HttpHeaders &headers() { return m_headers; }
    const HttpHeaders &headers() const { return m_headers; }
    QByteArray header(QByteArrayView name) const { return m_headers.value(name); }
    // Trailer fields of a chunked body (already validated, not merged into headers()).
    HttpHeaders &trailers() { return m_trailers; }
    const HttpHeaders &trailers() const { return m_trailers; }

    QByteArray body() const { return m_body; }
    void setBody(const QByteArray &body) { m_body = body; }
    QByteArray &bodyRef() { return m_body; }

    // Authority from an absolute-form target, else the Host header (RFC 9112 3.2.2).
    QByteArray host() const;

    // HTTP/1.1 persists unless "Connection: close"; HTTP/1.0 only with "Connection: keep-alive".
    bool keepAlive() const;
    // GET, HTTP/1.1, "Upgrade: websocket" and "Connection: upgrade" (tokens, any case).
    // The server still validates Sec-WebSocket-Key/Version (see webSocketKey()).
    bool isWebSocketUpgrade() const;
    // The Sec-WebSocket-Key when it is a valid base64 16-byte nonce and the version is 13,
    // else empty: the server then answers 400 (426 with Sec-WebSocket-Version: 13 for a bad version).
    QByteArray webSocketKey() const;
    bool expectsContinue() const;

private:
    QByteArray m_method;
    QByteArray m_target;
    QString m_path;
    QByteArray m_rawPath;
    QByteArray m_rawQuery;
    QList<QueryItem> m_queryItems;
    Version m_version = Version::Http11;
    HttpHeaders m_headers;
    HttpHeaders m_trailers;
    QByteArray m_body;
    QByteArray m_authority;

    friend class HttpRequestParser;
};

} // namespace sb::protocol
