#include "protocol/SseEncoder.h"

namespace sb::protocol {

namespace {

// "name: value\n"; the space keeps a value that itself starts with a space intact,
// because the parser strips exactly one.
void appendField(QByteArray &out, QByteArrayView name, QStringView value)
{
    out.append(name);
    out.append(':');
    if (!value.isEmpty()) {
        out.append(' ');
        out.append(value.toUtf8());
    }
    out.append('\n');
}

// Calls f(line) for each line of text; CRLF, CR and LF all end a line, as for the parser.
template<typename F> void forEachLine(QStringView text, F f)
{
    qsizetype start = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (c != u'\r' && c != u'\n')
            continue;
        f(text.sliced(start, i - start));
        if (c == u'\r' && i + 1 < text.size() && text[i + 1] == u'\n')
            ++i;
        start = i + 1;
    }
    f(text.sliced(start));
}

} // namespace

QString SseEncoder::sanitizeField(QStringView value)
{
    QString out;
    out.reserve(value.size());
    for (const QChar c : value) {
        if (c != u'\r' && c != u'\n')
            out.append(c);
    }
    return out;
}

QByteArray SseEncoder::encode(const SseEvent &event)
{
    QByteArray out;
    out.reserve(event.data.size() + event.id.size() + event.type.size() + 32);
    // Clients ignore an id holding NUL, and would then replay from a stale one.
    const QString id = sanitizeField(event.id).remove(QChar(0));
    if (!id.isEmpty())
        appendField(out, "id", id);
    const QString type = sanitizeField(event.type);
    if (!type.isEmpty())
        appendField(out, "event", type);
    if (event.retryMs >= 0)
        appendField(out, "retry", QString::number(event.retryMs));
    forEachLine(event.data, [&out](QStringView line) { appendField(out, "data", line); });
    out.append('\n');
    return out;
}

QByteArray SseEncoder::encodeComment(QStringView text)
{
    QByteArray out;
    forEachLine(text, [&out](QStringView line) {
        out.append(':');
        out.append(line.toUtf8());
        out.append('\n');
    });
    return out;
}

QByteArray SseEncoder::encodeRetry(qint64 retryMs)
{
    QByteArray out;
    appendField(out, "retry", QString::number(qMax<qint64>(0, retryMs)));
    out.append('\n');
    return out;
}

} // namespace sb::protocol
