#include "protocol/HttpRequestParser.h"

#include "protocol/PercentDecoding.h"

#include <algorithm>
#include <cstring>

namespace sb::protocol {

namespace {

// Compaction threshold: consumed bytes are dropped from the buffer once they are both
// this many and more than half of it, which keeps the copying amortised O(n).
constexpr qsizetype CompactThreshold = 4096;
constexpr int MaxContentLengthDigits = 18; // fits in qint64 without overflow checks

bool isTargetChar(char c)
{
    const auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7f && c != '#';
}

bool startsWithIgnoreCase(QByteArrayView text, QByteArrayView prefix)
{
    return text.size() >= prefix.size() && HttpHeaders::equalsIgnoreCase(text.first(prefix.size()), prefix);
}

} // namespace

HttpRequestParser::HttpRequestParser(const HttpLimits &limits)
    : m_limits(limits)
{ }

void HttpRequestParser::reset()
{
    m_buffer.clear();
    m_pos = 0;
    m_scanPos = 0;
    m_checkedPos = 0;
    m_errorStatus = 0;
    m_errorReason.clear();
    startRequest();
}

void HttpRequestParser::startRequest()
{
    m_request = HttpRequest();
    m_phase = Phase::RequestLine;
    m_state = State::NeedMore;
    m_headersComplete = false;
    m_sawSpace = false;
    m_checkedPos = m_pos;
    m_emptyLines = 0;
    m_sectionBytes = 0;
    m_remaining = 0;
}

HttpRequestParser::State HttpRequestParser::feed(QByteArrayView data)
{
    if (m_state == State::Error)
        return m_state;
    m_buffer.append(data);
    if (m_state == State::NeedMore)
        parse();
    return m_state;
}

bool HttpRequestParser::requestStarted() const
{
    if (m_phase != Phase::RequestLine)
        return true;
    const QByteArrayView pending = QByteArrayView(m_buffer).sliced(m_pos);
    return std::any_of(pending.begin(), pending.end(), [](char c) { return c != '\r' && c != '\n'; });
}

HttpRequest HttpRequestParser::takeRequest()
{
    if (m_state != State::Complete)
        return {};
    HttpRequest done = std::move(m_request);
    startRequest();
    parse();
    return done;
}

void HttpRequestParser::fail(int status, const QString &reason)
{
    m_errorStatus = status;
    m_errorReason = reason;
    m_phase = Phase::Failed;
    m_state = State::Error;
    // Nothing after an error is parsed; drop what we hold.
    m_buffer.clear();
    m_pos = m_scanPos = m_checkedPos = 0;
}

void HttpRequestParser::complete()
{
    m_phase = Phase::Done;
    m_state = State::Complete;
}

void HttpRequestParser::compact()
{
    if (m_pos == m_buffer.size()) {
        m_buffer.clear();
        m_pos = m_scanPos = m_checkedPos = 0;
    } else if (m_pos >= CompactThreshold && m_pos > m_buffer.size() / 2) {
        m_buffer.remove(0, m_pos);
        m_scanPos -= m_pos;
        m_checkedPos = qMax<qsizetype>(0, m_checkedPos - m_pos);
        m_pos = 0;
    }
}

// Finds the next LF, scanning only bytes not scanned before. The line excludes LF and
// one preceding CR; a bare LF ends a line too (RFC 9112 2.2 robustness).
bool HttpRequestParser::takeLine(QByteArrayView *line, qsizetype *rawLength)
{
    const qsizetype from = qMax(m_scanPos, m_pos);
    const char *begin = m_buffer.constData();
    const void *lf
        = from < m_buffer.size() ? std::memchr(begin + from, '\n', size_t(m_buffer.size() - from)) : nullptr;
    if (!lf) {
        m_scanPos = m_buffer.size();
        return false;
    }
    const qsizetype lfIndex = static_cast<const char *>(lf) - begin;
    qsizetype end = lfIndex;
    if (end > m_pos && begin[end - 1] == '\r')
        --end;
    *line = QByteArrayView(begin + m_pos, end - m_pos);
    *rawLength = lfIndex + 1 - m_pos;
    m_pos = lfIndex + 1;
    m_scanPos = m_pos;
    return true;
}

// Called when no full line is buffered: fails as soon as the partial line alone breaks
// the limit of the current phase, so slow senders cannot grow the buffer past it.
bool HttpRequestParser::checkPendingLine()
{
    // A trailing CR may still turn out to be part of the line end, so it is not counted;
    // this keeps the verdict identical however the bytes were split.
    qsizetype pending = m_buffer.size() - m_pos;
    if (pending > 0 && m_buffer.back() == '\r')
        --pending;
    switch (m_phase) {
    case Phase::RequestLine:
        if (pending > m_limits.maxRequestLine) {
            fail(414, QStringLiteral("request line longer than %1 bytes").arg(m_limits.maxRequestLine));
            return false;
        }
        return true;
    case Phase::Headers:
    case Phase::Trailers:
        if (m_sectionBytes + pending > m_limits.maxHeaderSection) {
            fail(431, QStringLiteral("header section larger than %1 bytes").arg(m_limits.maxHeaderSection));
            return false;
        }
        return true;
    case Phase::ChunkSize:
        if (pending > m_limits.maxChunkSizeLine) {
            fail(400, QStringLiteral("chunk size line too long"));
            return false;
        }
        return true;
    case Phase::ChunkDataEnd:
        if (pending > 0) {
            fail(400, QStringLiteral("chunk data not followed by CRLF"));
            return false;
        }
        return true;
    default:
        return true;
    }
}

// Rejects garbage while the request line is still arriving: a method is a token and
// the line holds no control bytes or non-ASCII, so an early byte decides.
bool HttpRequestParser::checkRequestLinePrefix()
{
    // Bytes past the length limit are not judged here: that line fails with 414
    // whichever way it arrives.
    const qsizetype end = qMin(m_buffer.size(), m_pos + m_limits.maxRequestLine + 1);
    for (qsizetype i = qMax(m_checkedPos, m_pos); i < end; ++i) {
        const char c = m_buffer.at(i);
        if (c == '\n')
            break; // the line is complete: parseRequestLine() takes over
        if (c == '\r' && i + 1 == m_buffer.size())
            break; // decided by the next byte
        if (c == '\r' && i + 1 < m_buffer.size() && m_buffer.at(i + 1) == '\n') {
            m_checkedPos = i + 1;
            continue;
        }
        if (c == ' ') {
            m_sawSpace = true;
            m_checkedPos = i + 1;
            continue;
        }
        const bool ok
            = m_sawSpace ? isTargetChar(c) || c == '#' : HttpHeaders::isToken(QByteArrayView(&c, 1));
        if (!ok) {
            fail(400,
                m_sawSpace ? QStringLiteral("invalid byte in request line")
                           : QStringLiteral("invalid character in method"));
            return false;
        }
        m_checkedPos = i + 1;
    }
    return true;
}

void HttpRequestParser::parse()
{
    while (m_state == State::NeedMore) {
        if (m_phase == Phase::Body || m_phase == Phase::ChunkData) {
            consumeBody();
            if (m_remaining > 0)
                break;
            if (m_phase == Phase::Body) {
                complete();
            } else {
                m_phase = Phase::ChunkDataEnd;
            }
            continue;
        }
        if (m_phase == Phase::RequestLine && !checkRequestLinePrefix())
            return;
        QByteArrayView line;
        qsizetype rawLength = 0;
        if (!takeLine(&line, &rawLength)) {
            if (!checkPendingLine())
                return;
            break;
        }
        switch (m_phase) {
        case Phase::RequestLine:
            if (line.isEmpty()) {
                if (++m_emptyLines > m_limits.maxLeadingEmptyLines) {
                    fail(400, QStringLiteral("too many empty lines before the request line"));
                    return;
                }
                m_sawSpace = false;
                m_checkedPos = m_pos;
                break;
            }
            if (!parseRequestLine(line))
                return;
            m_phase = Phase::Headers;
            break;
        case Phase::Headers:
        case Phase::Trailers: {
            m_sectionBytes += rawLength;
            if (m_sectionBytes > m_limits.maxHeaderSection) {
                fail(431,
                    QStringLiteral("header section larger than %1 bytes").arg(m_limits.maxHeaderSection));
                return;
            }
            const bool trailers = m_phase == Phase::Trailers;
            if (line.isEmpty()) {
                if (trailers)
                    complete();
                else if (!finishHead())
                    return;
                break;
            }
            if (!parseFieldLine(line, trailers ? &m_request.m_trailers : &m_request.m_headers))
                return;
            break;
        }
        case Phase::ChunkSize:
            if (line.size() > m_limits.maxChunkSizeLine) {
                fail(400, QStringLiteral("chunk size line too long"));
                return;
            }
            if (!parseChunkSize(line))
                return;
            break;
        case Phase::ChunkDataEnd:
            if (!line.isEmpty()) {
                fail(400, QStringLiteral("chunk data not followed by CRLF"));
                return;
            }
            m_phase = Phase::ChunkSize;
            break;
        default:
            break;
        }
    }
    compact();
}

bool HttpRequestParser::parseRequestLine(QByteArrayView line)
{
    if (line.size() > m_limits.maxRequestLine) {
        fail(414, QStringLiteral("request line longer than %1 bytes").arg(m_limits.maxRequestLine));
        return false;
    }
    // Exactly "method SP request-target SP HTTP-version": lenient whitespace splitting
    // is what request-smuggling tricks feed on, so it is refused.
    const qsizetype sp1 = line.indexOf(' ');
    const qsizetype sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
    if (sp1 <= 0 || sp2 < 0 || sp2 == sp1 + 1 || line.indexOf(' ', sp2 + 1) >= 0 || sp2 + 1 == line.size()) {
        fail(400, QStringLiteral("malformed request line"));
        return false;
    }
    const QByteArrayView method = line.first(sp1);
    const QByteArrayView target = line.sliced(sp1 + 1, sp2 - sp1 - 1);
    const QByteArrayView version = line.sliced(sp2 + 1);
    if (!HttpHeaders::isToken(method)) {
        fail(400, QStringLiteral("invalid character in method"));
        return false;
    }
    const bool versionShape = version.size() == 8 && version.startsWith("HTTP/") && version[5] >= '0'
        && version[5] <= '9' && version[6] == '.' && version[7] >= '0' && version[7] <= '9';
    if (!versionShape) {
        fail(400, QStringLiteral("malformed HTTP version"));
        return false;
    }
    if (version == "HTTP/1.1") {
        m_request.m_version = HttpRequest::Version::Http11;
    } else if (version == "HTTP/1.0") {
        m_request.m_version = HttpRequest::Version::Http10;
    } else {
        // Includes the HTTP/2 connection preface "PRI * HTTP/2.0".
        fail(505,
            QStringLiteral("HTTP version %1 not supported, use HTTP/1.1")
                .arg(QLatin1StringView(version.sliced(5))));
        return false;
    }
    m_request.m_method = method.toByteArray();
    return parseTarget(target);
}

bool HttpRequestParser::parseTarget(QByteArrayView target)
{
    for (char c : target) {
        if (!isTargetChar(c)) {
            fail(400, QStringLiteral("invalid character in request target"));
            return false;
        }
    }
    m_request.m_target = target.toByteArray();
    QByteArrayView pathAndQuery;
    if (target.startsWith('/')) {
        pathAndQuery = target;
    } else if (target == "*") {
        if (m_request.m_method != "OPTIONS") {
            fail(400, QStringLiteral("asterisk-form target is only allowed with OPTIONS"));
            return false;
        }
        m_request.m_rawPath = "*";
        m_request.m_path = QStringLiteral("*");
        return true;
    } else if (m_request.m_method == "CONNECT") {
        fail(501, QStringLiteral("CONNECT is not supported"));
        return false;
    } else {
        qsizetype schemeLength = 0;
        if (startsWithIgnoreCase(target, "http://"))
            schemeLength = 7;
        else if (startsWithIgnoreCase(target, "https://"))
            schemeLength = 8;
        if (schemeLength == 0) {
            fail(400, QStringLiteral("unsupported request target form"));
            return false;
        }
        const QByteArrayView rest = target.sliced(schemeLength);
        qsizetype authorityEnd = 0;
        while (authorityEnd < rest.size() && rest[authorityEnd] != '/' && rest[authorityEnd] != '?')
            ++authorityEnd;
        if (authorityEnd == 0 || rest.first(authorityEnd).contains('@')) {
            // userinfo in a request target is deprecated and a phishing vector (RFC 9110 4.2.4).
            fail(400, QStringLiteral("invalid authority in absolute-form target"));
            return false;
        }
        m_request.m_authority = rest.first(authorityEnd).toByteArray();
        pathAndQuery = rest.sliced(authorityEnd);
    }
    const qsizetype question = pathAndQuery.indexOf('?');
    QByteArrayView rawPath = question < 0 ? pathAndQuery : pathAndQuery.first(question);
    if (rawPath.isEmpty())
        rawPath = "/";
    m_request.m_rawPath = rawPath.toByteArray();
    if (!percentDecode(rawPath, false, &m_request.m_path)) {
        fail(400, QStringLiteral("invalid percent-encoding in path"));
        return false;
    }
    if (question < 0)
        return true;
    const QByteArrayView query = pathAndQuery.sliced(question + 1);
    m_request.m_rawQuery = query.toByteArray();
    qsizetype start = 0;
    for (qsizetype i = 0; i <= query.size(); ++i) {
        if (i < query.size() && query[i] != '&')
            continue;
        const QByteArrayView pair = query.sliced(start, i - start);
        start = i + 1;
        if (pair.isEmpty())
            continue;
        const qsizetype eq = pair.indexOf('=');
        QString key;
        QString value = QStringLiteral("");
        if (!percentDecode(eq < 0 ? pair : pair.first(eq), true, &key)
            || (eq >= 0 && !percentDecode(pair.sliced(eq + 1), true, &value))) {
            fail(400, QStringLiteral("invalid percent-encoding in query"));
            return false;
        }
        m_request.m_queryItems.append({ key, value });
    }
    return true;
}

bool HttpRequestParser::parseFieldLine(QByteArrayView line, HttpHeaders *into)
{
    if (line.front() == ' ' || line.front() == '\t') {
        fail(400, QStringLiteral("obsolete line folding is not accepted"));
        return false;
    }
    const qsizetype colon = line.indexOf(':');
    if (colon < 0) {
        fail(400, QStringLiteral("field line without a colon"));
        return false;
    }
    const QByteArrayView name = line.first(colon);
    if (!name.isEmpty() && (name.back() == ' ' || name.back() == '\t')) {
        // RFC 9112 5.1: must be rejected, proxies disagree on what such a name means.
        fail(400, QStringLiteral("whitespace between field name and colon"));
        return false;
    }
    if (!HttpHeaders::isToken(name)) {
        fail(400, QStringLiteral("invalid field name"));
        return false;
    }
    const QByteArrayView value = HttpHeaders::trimmed(line.sliced(colon + 1));
    if (!HttpHeaders::isValidValue(value)) {
        fail(400, QStringLiteral("invalid character in value of field %1").arg(QLatin1StringView(name)));
        return false;
    }
    if (into->size() >= m_limits.maxHeaderCount) {
        fail(431, QStringLiteral("more than %1 header fields").arg(m_limits.maxHeaderCount));
        return false;
    }
    into->append(name.toByteArray(), value.toByteArray());
    return true;
}

// Decides how the body is framed (RFC 9112 6.3). Ambiguous framing is the root of
// request smuggling, so every doubtful combination is an error, never a guess.
bool HttpRequestParser::finishHead()
{
    m_headersComplete = true;
    const HttpHeaders &headers = m_request.m_headers;
    const qsizetype hosts = headers.count("Host");
    if (hosts > 1 || (hosts == 0 && m_request.m_version == HttpRequest::Version::Http11)) {
        fail(400,
            hosts > 1 ? QStringLiteral("more than one Host field") : QStringLiteral("missing Host field"));
        return false;
    }
    const bool hasTe = headers.contains("Transfer-Encoding");
    const bool hasCl = headers.contains("Content-Length");
    if (hasTe) {
        if (hasCl) {
            fail(400, QStringLiteral("both Transfer-Encoding and Content-Length"));
            return false;
        }
        if (m_request.m_version == HttpRequest::Version::Http10) {
            fail(400, QStringLiteral("Transfer-Encoding in an HTTP/1.0 request"));
            return false;
        }
        QList<QByteArrayView> codings;
        const QList<QByteArray> values = headers.values("Transfer-Encoding");
        for (const QByteArray &value : values)
            codings.append(HttpHeaders::splitList(value));
        for (QByteArrayView coding : codings) {
            if (!HttpHeaders::equalsIgnoreCase(coding, "chunked")) {
                fail(501, QStringLiteral("transfer coding not implemented"));
                return false;
            }
        }
        if (codings.size() != 1) {
            fail(400,
                codings.isEmpty() ? QStringLiteral("empty Transfer-Encoding")
                                  : QStringLiteral("chunked applied more than once"));
            return false;
        }
        m_phase = Phase::ChunkSize;
        return true;
    }
    if (hasCl) {
        qint64 length = -1;
        const QList<QByteArray> values = headers.values("Content-Length");
        for (const QByteArray &value : values) {
            const QList<QByteArrayView> items = HttpHeaders::splitList(value);
            if (items.isEmpty()) {
                fail(400, QStringLiteral("empty Content-Length"));
                return false;
            }
            for (QByteArrayView item : items) {
                bool digits = item.size() <= MaxContentLengthDigits;
                for (char c : item)
                    digits = digits && c >= '0' && c <= '9';
                if (!digits) {
                    fail(400, QStringLiteral("invalid Content-Length"));
                    return false;
                }
                const qint64 parsed = item.toLongLong();
                if (length >= 0 && parsed != length) {
                    fail(400, QStringLiteral("conflicting Content-Length values"));
                    return false;
                }
                length = parsed;
            }
        }
        if (length > m_limits.maxBodySize) {
            fail(413, QStringLiteral("body larger than %1 bytes").arg(m_limits.maxBodySize));
            return false;
        }
        m_remaining = length;
        if (length > 0) {
            m_phase = Phase::Body;
            return true;
        }
    }
    complete();
    return true;
}

bool HttpRequestParser::parseChunkSize(QByteArrayView line)
{
    qsizetype digits = 0;
    qint64 size = 0;
    while (digits < line.size() && hexDigitValue(line[digits]) >= 0) {
        if (digits == 15) { // 16 hex digits could overflow qint64
            fail(400, QStringLiteral("chunk size too large"));
            return false;
        }
        size = size * 16 + hexDigitValue(line[digits]);
        ++digits;
    }
    if (digits == 0) {
        fail(400, QStringLiteral("invalid chunk size"));
        return false;
    }
    // Chunk extensions are allowed and ignored, but they must look like extensions.
    QByteArrayView rest = HttpHeaders::trimmed(line.sliced(digits));
    if ((!rest.isEmpty() && rest.front() != ';') || !HttpHeaders::isValidValue(rest)) {
        fail(400, QStringLiteral("invalid chunk extension"));
        return false;
    }
    if (size > m_limits.maxBodySize - m_request.m_body.size()) {
        fail(413, QStringLiteral("body larger than %1 bytes").arg(m_limits.maxBodySize));
        return false;
    }
    if (size == 0) {
        m_phase = Phase::Trailers;
        m_sectionBytes = 0;
        return true;
    }
    m_remaining = size;
    m_phase = Phase::ChunkData;
    return true;
}

void HttpRequestParser::consumeBody()
{
    const qint64 available = m_buffer.size() - m_pos;
    const qsizetype take = static_cast<qsizetype>(qMin(available, m_remaining));
    if (take > 0) {
        m_request.m_body.append(m_buffer.constData() + m_pos, take);
        m_pos += take;
        m_scanPos = m_pos;
        m_remaining -= take;
    }
}

} // namespace sb::protocol
