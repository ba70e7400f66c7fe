#include "protocol/HttpRequest.h"

namespace sb::protocol {

bool HttpRequest::hasQueryItem(const QString &key) const
{
    for (const QueryItem &item : m_queryItems) {
        if (item.first == key)
            return true;
    }
    return false;
}

QString HttpRequest::queryItemValue(const QString &key) const
{
    for (const QueryItem &item : m_queryItems) {
        if (item.first == key)
            return item.second;
    }
    return {};
}

QByteArray HttpRequest::host() const
{
    if (!m_authority.isEmpty())
        return m_authority;
    return m_headers.value("Host");
}

bool HttpRequest::keepAlive() const
{
    if (m_version == Version::Http11)
        return !m_headers.hasToken("Connection", "close");
    return m_headers.hasToken("Connection", "keep-alive") && !m_headers.hasToken("Connection", "close");
}

bool HttpRequest::isWebSocketUpgrade() const
{
    return m_method == "GET" && m_version == Version::Http11 && m_headers.hasToken("Upgrade", "websocket")
        && m_headers.hasToken("Connection", "upgrade");
}

QByteArray HttpRequest::webSocketKey() const
{
    if (!isWebSocketUpgrade() || m_headers.count("Sec-WebSocket-Key") != 1
        || HttpHeaders::trimmed(m_headers.value("Sec-WebSocket-Version")) != "13")
        return {};
    const QByteArray key = HttpHeaders::trimmed(m_headers.value("Sec-WebSocket-Key")).toByteArray();
    // RFC 6455 4.2.1: the key is base64 of exactly 16 bytes, i.e. 24 characters.
    const auto decoded = QByteArray::fromBase64Encoding(key, QByteArray::AbortOnBase64DecodingErrors);
    if (key.size() != 24 || !decoded || decoded.decoded.size() != 16)
        return {};
    return key;
}

bool HttpRequest::expectsContinue() const
{
    return m_version == Version::Http11
        && HttpHeaders::equalsIgnoreCase(HttpHeaders::trimmed(m_headers.value("Expect")), "100-continue");
}

} // namespace sb::protocol
