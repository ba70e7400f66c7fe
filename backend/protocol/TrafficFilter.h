#pragma once

#include "protocol/TrafficFrame.h"

#include <QList>
#include <QRegularExpression>
#include <QString>

#include <optional>

namespace sb::protocol {

// The Traffic area's filter language, shared by the view's filter box and
// `switchboard tap --filter`. Whitespace separates terms; a frame must match every term:
//   word            the text appears in any column or the body (case-insensitive)
//   "two words"     the same, with spaces
//   /regex/         a regular expression (Perl syntax) over every column and the body
//   field:text      the text appears in that field; field:/regex/ and field=exact too
//   bytes>N, bytes<N, bytes>=N, bytes<=N, bytes=N
//   -term           negates any of the above
// Fields: source (or replica, node), transport, dir, command (or cmd), destination (or
// dest), user, session, id (or messageId), body, and header.NAME for one header.
// Parsing never throws: a bad expression yields an error with its position, for the user.
class TrafficFilter
{
public:
    struct Error
    {
        QString message;
        qsizetype position = 0; // index in the expression where it went wrong
    };

    // The empty expression matches everything.
    static std::optional<TrafficFilter> parse(const QString &expression, Error *error);
    static constexpr qsizetype kMaxExpressionLength = 4096;

    bool matches(const TrafficFrame &frame) const;
    bool isEmpty() const { return m_terms.isEmpty(); }
    QString expression() const { return m_expression; }

private:
    enum class Field {
        Any,
        Source,
        Transport,
        Direction,
        Command,
        Destination,
        User,
        Session,
        MessageId,
        Body,
        Header,
        Bytes
    };
    enum class Op { Contains, Equals, Regex, Greater, GreaterEqual, Less, LessEqual };
    struct Term
    {
        Field field = Field::Any;
        Op op = Op::Contains;
        bool negated = false;
        QString text; // Contains / Equals
        QString headerName; // Field::Header
        QRegularExpression regex;
        qint64 number = 0; // Bytes
    };

    static bool termMatches(const Term &term, const TrafficFrame &frame);
    static bool textMatches(const Term &term, const QString &value);
    static bool bodyMatches(const Term &term, const QByteArray &body);

    QString m_expression;
    QList<Term> m_terms;
};

} // namespace sb::protocol
