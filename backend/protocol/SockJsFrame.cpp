#include "protocol/SockJsFrame.h"

#include "protocol/Utf8Text.h"
#include "protocol/Utf8Validator.h"

#include <QRandomGenerator>

namespace sb::protocol {

namespace {

// Reads the little JSON SockJS frames hold: strings (with every JSON escape) and small
// whole numbers, with whitespace between tokens. Stops at the first error, naming the byte.
class SockJsJsonReader
{
public:
    SockJsJsonReader(QByteArrayView text, qsizetype offset)
        : m_text(text)
        , m_offset(offset)
    { }

    bool failed() const { return !m_error.isEmpty(); }
    const QString &error() const { return m_error; }

    void skipSpace()
    {
        while (m_pos < m_text.size()
            && (m_text[m_pos] == ' ' || m_text[m_pos] == '\t' || m_text[m_pos] == '\n'
                || m_text[m_pos] == '\r'))
            ++m_pos;
    }

    bool atEnd() const { return m_pos >= m_text.size(); }
    char peek() const { return atEnd() ? '\0' : m_text[m_pos]; }

    bool expect(char c, const char *what)
    {
        skipSpace();
        if (atEnd())
            return fail(QStringLiteral("truncated: expected %1").arg(QLatin1String(what)));
        if (m_text[m_pos] != c)
            return fail(QStringLiteral("expected %1").arg(QLatin1String(what)));
        ++m_pos;
        return true;
    }

    // A JSON string, as UTF-8 with its escapes resolved.
    bool readString(QByteArray *out)
    {
        skipSpace();
        if (atEnd())
            return fail(QStringLiteral("truncated: expected a string"));
        if (m_text[m_pos] != '"')
            return fail(QStringLiteral("expected a string"));
        ++m_pos;
        out->clear();
        while (true) {
            // Copy the run of plain bytes in one go.
            qsizetype end = m_pos;
            while (end < m_text.size() && m_text[end] != '"' && m_text[end] != '\\'
                && static_cast<unsigned char>(m_text[end]) >= 0x20)
                ++end;
            out->append(m_text.sliced(m_pos, end - m_pos));
            m_pos = end;
            if (atEnd())
                return fail(QStringLiteral("truncated: a string is not closed"));
            const char c = m_text[m_pos];
            if (c == '"') {
                ++m_pos;
                return true;
            }
            if (c != '\\')
                return fail(QStringLiteral("control character 0x%1 inside a string must be escaped")
                                .arg(int(static_cast<unsigned char>(c)), 2, 16, QLatin1Char('0')));
            if (!readEscape(out))
                return false;
        }
    }

    bool readCode(int *out)
    {
        skipSpace();
        const qsizetype start = m_pos;
        qint64 value = 0;
        while (!atEnd() && m_text[m_pos] >= '0' && m_text[m_pos] <= '9' && m_pos - start < 6)
            value = value * 10 + (m_text[m_pos++] - '0');
        if (m_pos == start)
            return fail(atEnd() ? QStringLiteral("truncated: expected a close code")
                                : QStringLiteral("expected a close code (a whole number)"));
        if (m_pos - start > 5 || value > 65535
            || (!atEnd() && (m_text[m_pos] == '.' || m_text[m_pos] == 'e' || m_text[m_pos] == 'E')))
            return fail(QStringLiteral("close code is not a whole number from 0 to 65535"));
        *out = int(value);
        return true;
    }

    bool fail(const QString &message)
    {
        if (m_error.isEmpty())
            m_error = message + QStringLiteral(" at byte %1").arg(m_offset + m_pos);
        return false;
    }

private:
    bool readHex4(char32_t *out)
    {
        if (m_text.size() - m_pos < 4)
            return fail(QStringLiteral("truncated: \\u needs four hex digits"));
        char32_t value = 0;
        for (int i = 0; i < 4; ++i) {
            const char h = m_text[m_pos + i];
            int digit = -1;
            if (h >= '0' && h <= '9')
                digit = h - '0';
            else if (h >= 'a' && h <= 'f')
                digit = h - 'a' + 10;
            else if (h >= 'A' && h <= 'F')
                digit = h - 'A' + 10;
            if (digit < 0)
                return fail(QStringLiteral("\\u needs four hex digits"));
            value = value * 16 + char32_t(digit);
        }
        m_pos += 4;
        *out = value;
        return true;
    }

    bool readEscape(QByteArray *out)
    {
        ++m_pos; // the backslash
        if (atEnd())
            return fail(QStringLiteral("truncated: an escape is not complete"));
        const char c = m_text[m_pos++];
        switch (c) {
        case '"':
            out->append('"');
            return true;
        case '\\':
            out->append('\\');
            return true;
        case '/':
            out->append('/');
            return true;
        case 'b':
            out->append('\b');
            return true;
        case 'f':
            out->append('\f');
            return true;
        case 'n':
            out->append('\n');
            return true;
        case 'r':
            out->append('\r');
            return true;
        case 't':
            out->append('\t');
            return true;
        case 'u':
            break;
        default:
            --m_pos;
            return fail(
                QStringLiteral("unknown escape \\%1").arg(QLatin1Char(c >= 0x20 && c < 0x7f ? c : '?')));
        }
        char32_t unit = 0;
        if (!readHex4(&unit))
            return false;
        char32_t codePoint = unit;
        if (unit >= 0xDC00 && unit <= 0xDFFF)
            return fail(QStringLiteral("unpaired surrogate \\u%1").arg(uint(unit), 4, 16, QLatin1Char('0')));
        if (unit >= 0xD800 && unit <= 0xDBFF) {
            if (m_text.size() - m_pos < 2 || m_text[m_pos] != '\\' || m_text[m_pos + 1] != 'u')
                return fail(
                    QStringLiteral("unpaired surrogate \\u%1").arg(uint(unit), 4, 16, QLatin1Char('0')));
            m_pos += 2;
            char32_t low = 0;
            if (!readHex4(&low))
                return false;
            if (low < 0xDC00 || low > 0xDFFF)
                return fail(
                    QStringLiteral("unpaired surrogate \\u%1").arg(uint(unit), 4, 16, QLatin1Char('0')));
            codePoint = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
        }
        out->append(QString::fromUcs4(&codePoint, 1).toUtf8());
        return true;
    }

    QByteArrayView m_text;
    qsizetype m_offset; // where m_text starts in the frame, for the byte numbers in errors
    qsizetype m_pos = 0;
    QString m_error;
};

bool sockJsMustEscape(char16_t c)
{
    return c < 0x20 || (c >= 0x200C && c <= 0x200F) || (c >= 0x2028 && c <= 0x202F)
        || (c >= 0x2060 && c <= 0x206F) || c >= 0xFFF0 || (c >= 0xD800 && c <= 0xDFFF);
}

void sockJsAppendQuoted(QString *out, const QString &text)
{
    out->append(u'"');
    for (const QChar ch : text) {
        const char16_t c = ch.unicode();
        switch (c) {
        case u'"':
            out->append(u"\\\"");
            continue;
        case u'\\':
            out->append(u"\\\\");
            continue;
        case u'\n':
            out->append(u"\\n");
            continue;
        case u'\r':
            out->append(u"\\r");
            continue;
        case u'\t':
            out->append(u"\\t");
            continue;
        case u'\b':
            out->append(u"\\b");
            continue;
        case u'\f':
            out->append(u"\\f");
            continue;
        default:
            break;
        }
        if (sockJsMustEscape(c))
            out->append(QStringLiteral("\\u%1").arg(uint(c), 4, 16, QLatin1Char('0')));
        else
            out->append(ch);
    }
    out->append(u'"');
}

QByteArray sockJsArray(const QByteArrayList &messages)
{
    QString out(u'[');
    for (qsizetype i = 0; i < messages.size(); ++i) {
        if (i > 0)
            out.append(u',');
        // decodeUtf8KeepingBom: a message may start with U+FEFF, which is data here.
        sockJsAppendQuoted(&out, decodeUtf8KeepingBom(messages.at(i)));
    }
    out.append(u']');
    return out.toUtf8();
}

bool sockJsIdIsSafe(const QString &id)
{
    if (id.isEmpty() || id.size() > 64)
        return false;
    for (const QChar c : id)
        if (!(c.isLetterOrNumber() && c.unicode() < 0x80) && c != u'-' && c != u'_')
            return false;
    return true;
}

} // namespace

std::optional<SockJsFrame> SockJsFrame::decode(QByteArrayView payload, QString *error, qsizetype maxBytes)
{
    QString ignored;
    if (!error)
        error = &ignored;
    if (payload.size() > maxBytes) {
        *error = QStringLiteral("SockJS frame of %1 bytes is over the %2-byte limit")
                     .arg(payload.size())
                     .arg(maxBytes);
        return std::nullopt;
    }
    if (payload.isEmpty()) {
        *error = QStringLiteral("empty SockJS frame");
        return std::nullopt;
    }
    if (!isValidUtf8(payload)) {
        *error = QStringLiteral("SockJS frame is not valid UTF-8");
        return std::nullopt;
    }
    SockJsFrame frame;
    const char kind = payload.front();
    const QByteArrayView rest = payload.sliced(1);
    switch (kind) {
    case 'o':
    case 'h':
        if (!rest.isEmpty()) {
            *error = QStringLiteral("SockJS '%1' frame has %2 unexpected bytes after it")
                         .arg(QLatin1Char(kind))
                         .arg(rest.size());
            return std::nullopt;
        }
        frame.type = kind == 'o' ? Type::Open : Type::HeartBeat;
        return frame;
    case 'a':
    case 'm':
    case 'c':
        break;
    default:
        *error = kind >= 0x20 && kind < 0x7f
            ? QStringLiteral("unknown SockJS frame type '%1'").arg(QLatin1Char(kind))
            : QStringLiteral("unknown SockJS frame type (byte 0x%1)")
                  .arg(int(static_cast<unsigned char>(kind)), 2, 16, QLatin1Char('0'));
        return std::nullopt;
    }

    SockJsJsonReader reader(rest, 1);
    if (kind == 'm') {
        frame.type = Type::Messages;
        QByteArray message;
        if (reader.readString(&message))
            frame.messages.append(message);
    } else if (kind == 'a') {
        frame.type = Type::Messages;
        if (reader.expect('[', "'[' to open the message array")) {
            reader.skipSpace();
            if (reader.peek() == ']') {
                reader.expect(']', "']'");
            } else {
                while (!reader.failed()) {
                    reader.skipSpace();
                    if (!reader.atEnd() && reader.peek() != '"') {
                        reader.fail(QStringLiteral("message %1 of the array is not a string")
                                        .arg(frame.messages.size() + 1));
                        break;
                    }
                    QByteArray message;
                    if (!reader.readString(&message))
                        break;
                    frame.messages.append(message);
                    reader.skipSpace();
                    if (reader.peek() == ',') {
                        reader.expect(',', "','");
                        continue;
                    }
                    reader.expect(']', "',' or ']' after a message");
                    break;
                }
            }
        }
    } else {
        frame.type = Type::Close;
        QByteArray reason;
        if (reader.expect('[', "'[' to open the close frame") && reader.readCode(&frame.closeCode)
            && reader.expect(',', "',' after the close code") && reader.readString(&reason)
            && reader.expect(']', "']' to end the close frame"))
            frame.closeReason = decodeUtf8KeepingBom(reason);
    }
    if (!reader.failed()) {
        reader.skipSpace();
        if (!reader.atEnd())
            reader.fail(QStringLiteral("unexpected bytes after the frame"));
    }
    if (reader.failed()) {
        *error = QStringLiteral("malformed SockJS '%1' frame: %2")
                     .arg(QString(QLatin1Char(kind)), reader.error());
        return std::nullopt;
    }
    return frame;
}

QByteArray SockJsFrame::encodeMessages(const QByteArrayList &messages)
{
    return sockJsArray(messages);
}

QByteArray SockJsFrame::encode(const SockJsFrame &frame)
{
    switch (frame.type) {
    case Type::Open:
        return QByteArrayLiteral("o");
    case Type::HeartBeat:
        return QByteArrayLiteral("h");
    case Type::Messages:
        return 'a' + sockJsArray(frame.messages);
    case Type::Close: {
        QString out = QStringLiteral("c[%1,").arg(frame.closeCode);
        sockJsAppendQuoted(&out, frame.closeReason);
        out.append(u']');
        return out.toUtf8();
    }
    }
    return {};
}

QUrl SockJsFrame::transportUrl(
    const QUrl &base, const QString &server, const QString &session, QString *error)
{
    QString ignored;
    if (!error)
        error = &ignored;
    const QString scheme = base.scheme().toLower();
    if (!base.isValid() || base.host().isEmpty()
        || (scheme != u"http" && scheme != u"https" && scheme != u"ws" && scheme != u"wss")) {
        *error = QStringLiteral(
            "a SockJS endpoint is an http://, https://, ws:// or wss:// URL with a host, not '%1'")
                     .arg(base.toString());
        return {};
    }
    if (!sockJsIdIsSafe(server) || !sockJsIdIsSafe(session)) {
        *error = QStringLiteral("SockJS server and session ids are 1-64 letters, digits, '-' or '_'");
        return {};
    }
    QUrl url = base;
    url.setScheme(scheme == u"https" || scheme == u"wss" ? QStringLiteral("wss") : QStringLiteral("ws"));
    url.setFragment({});
    QString path = url.path(QUrl::FullyEncoded);
    while (path.endsWith(u'/'))
        path.chop(1);
    url.setPath(path + u'/' + server + u'/' + session + QStringLiteral("/websocket"), QUrl::TolerantMode);
    return url;
}

QUrl SockJsFrame::transportUrl(const QUrl &base, QString *error)
{
    static constexpr char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    auto *random = QRandomGenerator::global();
    const QString server = QStringLiteral("%1").arg(random->bounded(1000), 3, 10, QLatin1Char('0'));
    QString session;
    for (int i = 0; i < 16; ++i)
        session.append(QLatin1Char(alphabet[random->bounded(int(sizeof alphabet) - 1)]));
    return transportUrl(base, server, session, error);
}

} // namespace sb::protocol
