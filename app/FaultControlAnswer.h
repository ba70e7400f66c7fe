#pragma once

#include <QJsonArray>
#include <QString>

namespace sb::app {

// One answer of a devcluster's control endpoint (FaultControlServer), read: what a fault
// request or an event-log read came to. Reading is pure (status, body, Retry-After in; no
// I/O), so a malformed, oversized or unexpected answer is one more outcome, never a crash.
struct FaultControlAnswer
{
    enum class Kind {
        Done, // 200 and the answer expected
        Refused, // the endpoint said no (400 bad request, 409 could not be taken, …): `message` is its error
        Busy, // 503: too many control connections; nothing was done, ask again after `retryAfterSeconds`
        Unreachable, // no HTTP answer: refused connection, timeout, reset
        BadAnswer, // an HTTP answer that is not the endpoint's (not JSON, too large, redirected)
    };

    static constexpr qsizetype kMaxMessageChars = 300; // one line in the panel, whatever came

    Kind kind = Kind::Unreachable;
    QString action; // the fault asked for; empty for an event-log read
    int httpStatus = 0;
    QString message; // the endpoint's message or error, or what went wrong, on one line
    int eventId = 0; // the event the endpoint logged the fault as (0: none)
    int retryAfterSeconds = 0; // Busy
    QJsonArray events; // an event-log read that is Done

    bool ok() const { return kind == Kind::Done; }

    // POST /faults: 200 {"ok": true, "message", "event"}; 4xx/5xx {"error", …}.
    static FaultControlAnswer readFault(int status, const QByteArray &body, const QByteArray &retryAfter);
    // GET /events: 200 {"events": [...]}.
    static FaultControlAnswer readEvents(int status, const QByteArray &body, const QByteArray &retryAfter);
    static FaultControlAnswer unreachable(const QString &why);
    static FaultControlAnswer badAnswer(int status, const QString &why);
    // Text from an answer, on one line and cut to kMaxMessageChars.
    static QString oneLine(const QString &text);
};

} // namespace sb::app
