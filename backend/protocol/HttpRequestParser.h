#pragma once

#include "protocol/HttpLimits.h"
#include "protocol/HttpRequest.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace sb::protocol {

// Incremental HTTP/1.x request parser (RFC 9112). Feed it bytes as they arrive; it says
// NeedMore, Complete or Error. Every byte is examined a bounded number of times, so a
// slow or hostile peer costs O(n), and every limit is enforced before the offending
// bytes are buffered (a 1 MB header line fails after 16 KiB, not at its end).
//
// Pipelining: bytes that follow a complete request stay buffered; takeRequest() hands
// the request over and immediately parses what is buffered, so state() may be Complete
// again. While Complete the parser only buffers, so the caller should stop reading from
// its socket until it has taken the request.
//
// Errors are final for the connection: errorStatus() is the status to answer
// (400, 413, 414, 431, 501, 505) and errorReason() a short human explanation; the
// caller then closes, because the framing of what follows cannot be trusted.
class HttpRequestParser
{
public:
    enum class State { NeedMore, Complete, Error };

    explicit HttpRequestParser(const HttpLimits &limits = {});

    State feed(QByteArrayView data);
    State state() const { return m_state; }

    // True once the head (request line + fields) of the current request is parsed, e.g.
    // to answer "Expect: 100-continue" before the body arrives.
    bool headersComplete() const { return m_headersComplete; }
    // True once a byte of the next request has arrived. The empty lines a client may send
    // before a request line (RFC 9112 §2.2, e.g. a stray CRLF after a body) begin nothing.
    bool requestStarted() const;
    // The request being parsed; complete only when state() == Complete.
    const HttpRequest &request() const { return m_request; }
    // Returns the complete request and starts on the buffered bytes of the next one.
    HttpRequest takeRequest();

    int errorStatus() const { return m_errorStatus; }
    QString errorReason() const { return m_errorReason; }

    // Bytes received but not yet consumed (pipelined data, partial lines).
    qsizetype bufferedBytes() const { return m_buffer.size() - m_pos; }
    const HttpLimits &limits() const { return m_limits; }
    void reset();

private:
    enum class Phase {
        RequestLine,
        Headers,
        Body,
        ChunkSize,
        ChunkData,
        ChunkDataEnd,
        Trailers,
        Done,
        Failed
    };

    void parse();
    bool takeLine(QByteArrayView *line, qsizetype *rawLength);
    bool checkPendingLine();
    bool checkRequestLinePrefix();
    bool parseRequestLine(QByteArrayView line);
    bool parseTarget(QByteArrayView target);
    bool parseFieldLine(QByteArrayView line, HttpHeaders *into);
    bool finishHead();
    bool parseChunkSize(QByteArrayView line);
    void consumeBody();
    void complete();
    void fail(int status, const QString &reason);
    void startRequest();
    void compact();

    HttpLimits m_limits;
    QByteArray m_buffer;
    qsizetype m_pos = 0; // first unconsumed byte
    qsizetype m_scanPos = 0; // bytes before this (from m_pos) hold no LF
    qsizetype m_checkedPos = 0; // request-line prefix validated up to here
    bool m_sawSpace = false; // the request line prefix has left the method
    Phase m_phase = Phase::RequestLine;
    State m_state = State::NeedMore;
    HttpRequest m_request;
    bool m_headersComplete = false;
    int m_emptyLines = 0;
    qsizetype m_sectionBytes = 0; // header or trailer section bytes so far
    qint64 m_remaining = 0; // body or chunk bytes still expected
    int m_errorStatus = 0;
    QString m_errorReason;
};

} // namespace sb::protocol
