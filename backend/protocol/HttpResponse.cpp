#include "protocol/HttpResponse.h"

#include <QCryptographicHash>
#include <QJsonDocument>

namespace sb::protocol {

namespace {

struct StatusText
{
    int status;
    const char *text;
};

// The codes a node can send; RFC 9110 section 15 wording.
constexpr StatusText StatusTable[] = {
    { 100, "Continue" },
    { 101, "Switching Protocols" },
    { 200, "OK" },
    { 201, "Created" },
    { 202, "Accepted" },
    { 204, "No Content" },
    { 301, "Moved Permanently" },
    { 302, "Found" },
    { 303, "See Other" },
    { 304, "Not Modified" },
    { 307, "Temporary Redirect" },
    { 308, "Permanent Redirect" },
    { 400, "Bad Request" },
    { 401, "Unauthorized" },
    { 403, "Forbidden" },
    { 404, "Not Found" },
    { 405, "Method Not Allowed" },
    { 406, "Not Acceptable" },
    { 408, "Request Timeout" },
    { 409, "Conflict" },
    { 410, "Gone" },
    { 411, "Length Required" },
    { 413, "Content Too Large" },
    { 414, "URI Too Long" },
    { 415, "Unsupported Media Type" },
    { 417, "Expectation Failed" },
    { 422, "Unprocessable Content" },
    { 426, "Upgrade Required" },
    { 429, "Too Many Requests" },
    { 431, "Request Header Fields Too Large" },
    { 500, "Internal Server Error" },
    { 501, "Not Implemented" },
    { 502, "Bad Gateway" },
    { 503, "Service Unavailable" },
    { 504, "Gateway Timeout" },
    { 505, "HTTP Version Not Supported" },
};

bool forbidsBody(int status)
{
    return (status >= 100 && status < 200) || status == 204 || status == 304;
}

} // namespace

HttpResponse::HttpResponse(int status)
    : m_status(status)
{ }

QByteArray HttpResponse::reasonPhrase(int status)
{
    for (const StatusText &entry : StatusTable) {
        if (entry.status == status)
            return QByteArray(entry.text);
    }
    return QByteArrayLiteral("Unknown");
}

void HttpResponse::setBody(const QByteArray &body, const QByteArray &contentType)
{
    m_body = body;
    if (!contentType.isEmpty())
        m_headers.set("Content-Type", contentType);
}

void HttpResponse::setJsonBody(const QJsonObject &object)
{
    setBody(QJsonDocument(object).toJson(QJsonDocument::Compact), QByteArrayLiteral("application/json"));
}

void HttpResponse::setCloseConnection(bool close)
{
    if (close)
        m_headers.set("Connection", "close");
    else
        m_headers.remove("Connection");
}

QByteArray HttpResponse::serializeFields(bool withLength) const
{
    // Out-of-range codes would produce an unparsable status line; 500 is the honest fallback.
    const int status = (m_status >= 100 && m_status <= 999) ? m_status : 500;
    QByteArray out;
    out.reserve(128 + m_body.size());
    out += "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    for (const HttpHeaders::Field &field : m_headers.fields()) {
        if (HttpHeaders::equalsIgnoreCase(field.name, "Content-Length")
            || HttpHeaders::equalsIgnoreCase(field.name, "Transfer-Encoding"))
            continue;
        out += field.name + ": " + field.value + "\r\n";
    }
    if (withLength && !forbidsBody(status))
        out += "Content-Length: " + QByteArray::number(m_body.size()) + "\r\n";
    out += "\r\n";
    return out;
}

QByteArray HttpResponse::serialize() const
{
    QByteArray out = serializeFields(true);
    if (!forbidsBody(m_status))
        out += m_body;
    return out;
}

QByteArray HttpResponse::serializeHead() const
{
    return serializeFields(false);
}

HttpResponse HttpResponse::json(int status, const QJsonObject &object)
{
    HttpResponse response(status);
    response.setJsonBody(object);
    return response;
}

HttpResponse HttpResponse::jsonError(int status, const QString &message)
{
    return json(
        status, QJsonObject { { QStringLiteral("error"), message }, { QStringLiteral("status"), status } });
}

QByteArray HttpResponse::webSocketAccept(QByteArrayView key)
{
    QCryptographicHash hash(QCryptographicHash::Sha1);
    hash.addData(key);
    hash.addData(QByteArrayView("258EAFA5-E914-47DA-95CA-C5AB0DC85B11"));
    return hash.result().toBase64();
}

} // namespace sb::protocol
