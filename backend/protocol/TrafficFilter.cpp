#include "protocol/TrafficFilter.h"

#include <algorithm>

namespace sb::protocol {

namespace {

struct FilterToken
{
    QString text;
    qsizetype position = 0;
    bool quoted = false; // it began with '"': a phrase, never a field or a /regex/
    qsizetype quotedFrom = -1; // where in text its first "…" part began (field="a value")
};

// Splits on whitespace; "…" groups (with \" and \\ escapes inside), and /…/ keeps its spaces.
bool tokenizeFilter(const QString &expression, QList<FilterToken> *tokens, TrafficFilter::Error *error)
{
    qsizetype i = 0;
    const qsizetype n = expression.size();
    while (i < n) {
        while (i < n && expression.at(i).isSpace())
            ++i;
        if (i >= n)
            break;
        FilterToken token;
        token.position = i;
        while (i < n && !expression.at(i).isSpace()) {
            const QChar c = expression.at(i);
            if (c == u'"'
                || (c == u'/'
                    && (i == token.position || expression.at(i - 1) == u':' || expression.at(i - 1) == u'='
                        || expression.at(i - 1) == u'-'))) {
                // A quoted or /regex/ part runs to its closing delimiter, spaces included.
                const QChar close = c;
                const qsizetype open = i;
                if (c == u'"') {
                    token.quoted = token.quoted || i == token.position;
                    if (token.quotedFrom < 0)
                        token.quotedFrom = token.text.size();
                } else {
                    token.text.append(c);
                }
                ++i;
                bool closed = false;
                while (i < n) {
                    const QChar d = expression.at(i);
                    if (d == u'\\' && i + 1 < n && close == u'"') {
                        token.text.append(expression.at(i + 1));
                        i += 2;
                        continue;
                    }
                    if (d == u'\\' && i + 1 < n) { // inside /regex/ the escape is the regex's
                        token.text.append(d);
                        token.text.append(expression.at(i + 1));
                        i += 2;
                        continue;
                    }
                    if (d == close) {
                        closed = true;
                        ++i;
                        break;
                    }
                    token.text.append(d);
                    ++i;
                }
                if (!closed) {
                    *error = { close == u'"' ? QStringLiteral("unclosed quote")
                                             : QStringLiteral("unclosed /regex/"),
                        open };
                    return false;
                }
                if (close == u'/')
                    token.text.append(u'/');
                continue;
            }
            token.text.append(c);
            ++i;
        }
        tokens->append(token);
    }
    return true;
}

} // namespace

std::optional<TrafficFilter> TrafficFilter::parse(const QString &expression, Error *error)
{
    Error ignored;
    if (!error)
        error = &ignored;
    if (expression.size() > kMaxExpressionLength) {
        *error = { QStringLiteral("the filter is longer than %1 characters").arg(kMaxExpressionLength),
            kMaxExpressionLength };
        return std::nullopt;
    }
    QList<FilterToken> tokens;
    if (!tokenizeFilter(expression, &tokens, error))
        return std::nullopt;

    TrafficFilter filter;
    filter.m_expression = expression;
    for (const FilterToken &token : tokens) {
        Term term;
        QString text = token.text;
        qsizetype position = token.position;
        if (!token.quoted && text.startsWith(u'-') && text.size() > 1) { // -term (a leading '"' is a phrase)
            term.negated = true;
            text.remove(0, 1);
            ++position;
        }
        // field:value, field=value, bytes>N …: a field name is letters, digits, '.', '-' and '_'.
        qsizetype split = -1;
        const bool phrase
            = token.quotedFrom >= 0 && token.quotedFrom <= (term.negated ? 1 : 0); // "…" or -"…"
        if (!phrase && !text.startsWith(u'/')) {
            for (qsizetype i = 0; i < text.size(); ++i) {
                const QChar c = text.at(i);
                if (c == u':' || c == u'=' || c == u'>' || c == u'<') {
                    split = i;
                    break;
                }
                if (!(c.isLetterOrNumber() || c == u'.' || c == u'_' || c == u'-'))
                    break;
            }
        }
        QString value = text;
        if (split > 0) {
            const QString name = text.left(split).toLower();
            QString op = text.mid(split, 1);
            if ((op == u">" || op == u"<") && split + 1 < text.size() && text.at(split + 1) == u'=')
                op += u'=';
            value = text.mid(split + op.size());
            if (name == u"source" || name == u"replica" || name == u"node")
                term.field = Field::Source;
            else if (name == u"transport")
                term.field = Field::Transport;
            else if (name == u"dir" || name == u"direction")
                term.field = Field::Direction;
            else if (name == u"command" || name == u"cmd")
                term.field = Field::Command;
            else if (name == u"destination" || name == u"dest")
                term.field = Field::Destination;
            else if (name == u"user")
                term.field = Field::User;
            else if (name == u"session")
                term.field = Field::Session;
            else if (name == u"id" || name == u"messageid")
                term.field = Field::MessageId;
            else if (name == u"body")
                term.field = Field::Body;
            else if (name == u"bytes")
                term.field = Field::Bytes;
            else if (name.startsWith(u"header.") && name.size() > 7) {
                term.field = Field::Header;
                term.headerName = text.mid(7, split - 7); // header names keep their case
            } else {
                *error = { QStringLiteral(
                               "unknown field '%1' (fields: source, transport, dir, command, destination, "
                               "user, session, id, body, bytes, header.NAME)")
                               .arg(text.left(split)),
                    position };
                return std::nullopt;
            }
            position += split + op.size();
            if (term.field == Field::Bytes) {
                bool ok = false;
                term.number = value.toLongLong(&ok);
                if (!ok || term.number < 0) {
                    *error = { QStringLiteral("bytes needs a whole number, not '%1'").arg(value), position };
                    return std::nullopt;
                }
                term.op = op == u">" ? Op::Greater
                    : op == u">="    ? Op::GreaterEqual
                    : op == u"<"     ? Op::Less
                    : op == u"<="    ? Op::LessEqual
                                     : Op::Equals;
                if (op == u":")
                    term.op = Op::Equals;
                filter.m_terms.append(term);
                continue;
            }
            if (op == u">" || op == u"<" || op == u">=" || op == u"<=") {
                *error = { QStringLiteral("'%1' compares numbers; only bytes is a number").arg(op),
                    position - op.size() };
                return std::nullopt;
            }
            term.op = op == u"=" ? Op::Equals : Op::Contains;
        }
        // A value written in quotes is text, never a /regex/.
        const bool valueQuoted
            = token.quotedFrom >= 0 && token.quotedFrom >= token.text.size() - value.size();
        if (value.size() >= 2 && value.startsWith(u'/') && value.endsWith(u'/') && !valueQuoted) {
            term.op = Op::Regex;
            term.regex = QRegularExpression(
                value.mid(1, value.size() - 2), QRegularExpression::CaseInsensitiveOption);
            if (!term.regex.isValid()) {
                *error = { QStringLiteral("bad regular expression: %1").arg(term.regex.errorString()),
                    position + 1 + term.regex.patternErrorOffset() };
                return std::nullopt;
            }
            term.regex.optimize();
        } else if (value.isEmpty()) {
            *error = { QStringLiteral("'%1' needs a value").arg(text), position };
            return std::nullopt;
        } else {
            term.text = value;
        }
        filter.m_terms.append(term);
    }
    return filter;
}

bool TrafficFilter::matches(const TrafficFrame &frame) const
{
    return std::all_of(m_terms.cbegin(), m_terms.cend(),
        [&frame](const Term &term) { return termMatches(term, frame) != term.negated; });
}

bool TrafficFilter::textMatches(const Term &term, const QString &value)
{
    switch (term.op) {
    case Op::Contains:
        return value.contains(term.text, Qt::CaseInsensitive);
    case Op::Equals:
        return value.compare(term.text, Qt::CaseInsensitive) == 0;
    case Op::Regex:
        return term.regex.match(value).hasMatch();
    default:
        return false;
    }
}

bool TrafficFilter::bodyMatches(const Term &term, const QByteArray &body)
{
    if (body.isEmpty())
        return term.op == Op::Equals && term.text.isEmpty();
    return textMatches(term, QString::fromUtf8(body));
}

bool TrafficFilter::termMatches(const Term &term, const TrafficFrame &frame)
{
    switch (term.field) {
    case Field::Source:
        return textMatches(term, frame.source);
    case Field::Transport:
        return textMatches(term, TrafficFrame::transportName(frame.transport));
    case Field::Direction:
        return textMatches(term, TrafficFrame::directionName(frame.direction));
    case Field::Command:
        return textMatches(term, frame.command);
    case Field::Destination:
        return textMatches(term, frame.destination);
    case Field::User:
        return textMatches(term, frame.user);
    case Field::Session:
        return textMatches(term, frame.session);
    case Field::MessageId:
        return textMatches(term, frame.messageId);
    case Field::Body:
        return bodyMatches(term, frame.body);
    case Field::Header:
        for (const auto &[name, value] : frame.headers())
            if (name.compare(term.headerName, Qt::CaseInsensitive) == 0 && textMatches(term, value))
                return true;
        return false;
    case Field::Bytes:
        switch (term.op) {
        case Op::Greater:
            return frame.bytes > term.number;
        case Op::GreaterEqual:
            return frame.bytes >= term.number;
        case Op::Less:
            return frame.bytes < term.number;
        case Op::LessEqual:
            return frame.bytes <= term.number;
        default:
            return frame.bytes == term.number;
        }
    case Field::Any:
        break;
    }
    // Any column, then the headers and the body (the costliest last).
    for (const QString *value :
        { &frame.command, &frame.destination, &frame.source, &frame.user, &frame.session, &frame.messageId })
        if (textMatches(term, *value))
            return true;
    if (term.op != Op::Equals && textMatches(term, TrafficFrame::transportName(frame.transport)))
        return true;
    if (!frame.headerBlock.isEmpty()) {
        for (const auto &[name, value] : frame.headers())
            if (textMatches(term, value))
                return true;
    }
    return term.op != Op::Equals && bodyMatches(term, frame.body);
}

} // namespace sb::protocol
