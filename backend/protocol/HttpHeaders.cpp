#include "protocol/HttpHeaders.h"

namespace sb::protocol {

namespace {

bool isTchar(char c)
{
    const auto u = static_cast<unsigned char>(c);
    if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9'))
        return true;
    switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
        return true;
    default:
        return false;
    }
}

char toLowerAscii(char c)
{
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

} // namespace

bool HttpHeaders::append(const QByteArray &name, const QByteArray &value)
{
    if (!isToken(name) || !isValidValue(value))
        return false;
    m_fields.append(Field { name, value });
    return true;
}

bool HttpHeaders::set(const QByteArray &name, const QByteArray &value)
{
    if (!isToken(name) || !isValidValue(value))
        return false;
    remove(name);
    m_fields.append(Field { name, value });
    return true;
}

void HttpHeaders::remove(QByteArrayView name)
{
    m_fields.removeIf([name](const Field &f) { return equalsIgnoreCase(f.name, name); });
}

bool HttpHeaders::contains(QByteArrayView name) const
{
    return count(name) > 0;
}

qsizetype HttpHeaders::count(QByteArrayView name) const
{
    qsizetype n = 0;
    for (const Field &f : m_fields) {
        if (equalsIgnoreCase(f.name, name))
            ++n;
    }
    return n;
}

QByteArray HttpHeaders::value(QByteArrayView name, const QByteArray &defaultValue) const
{
    for (const Field &f : m_fields) {
        if (equalsIgnoreCase(f.name, name))
            return f.value;
    }
    return defaultValue;
}

QList<QByteArray> HttpHeaders::values(QByteArrayView name) const
{
    QList<QByteArray> result;
    for (const Field &f : m_fields) {
        if (equalsIgnoreCase(f.name, name))
            result.append(f.value);
    }
    return result;
}

bool HttpHeaders::hasToken(QByteArrayView name, QByteArrayView token) const
{
    for (const Field &f : m_fields) {
        if (!equalsIgnoreCase(f.name, name))
            continue;
        const QList<QByteArrayView> items = splitList(f.value);
        for (QByteArrayView item : items) {
            if (equalsIgnoreCase(item, token))
                return true;
        }
    }
    return false;
}

bool HttpHeaders::isToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (char c : text) {
        if (!isTchar(c))
            return false;
    }
    return true;
}

bool HttpHeaders::isValidValue(QByteArrayView value)
{
    // field-value = *( VCHAR / obs-text / SP / HTAB ); every other control byte is refused.
    for (char c : value) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && u != '\t') || u == 0x7f)
            return false;
    }
    return true;
}

bool HttpHeaders::equalsIgnoreCase(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (toLowerAscii(a[i]) != toLowerAscii(b[i]))
            return false;
    }
    return true;
}

QList<QByteArrayView> HttpHeaders::splitList(QByteArrayView value)
{
    QList<QByteArrayView> items;
    qsizetype start = 0;
    for (qsizetype i = 0; i <= value.size(); ++i) {
        if (i == value.size() || value[i] == ',') {
            const QByteArrayView item = trimmed(value.sliced(start, i - start));
            if (!item.isEmpty())
                items.append(item);
            start = i + 1;
        }
    }
    return items;
}

QByteArrayView HttpHeaders::trimmed(QByteArrayView text)
{
    qsizetype begin = 0;
    qsizetype end = text.size();
    while (begin < end && (text[begin] == ' ' || text[begin] == '\t'))
        ++begin;
    while (end > begin && (text[end - 1] == ' ' || text[end - 1] == '\t'))
        --end;
    return text.sliced(begin, end - begin);
}

} // namespace sb::protocol
