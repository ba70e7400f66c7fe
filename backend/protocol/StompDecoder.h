#pragma once

#include "protocol/StompFrame.h"
#include "protocol/StompLimits.h"
#include "protocol/StompVersion.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace sb::protocol {

// Incremental STOMP 1.0/1.1/1.2 frame decoder: feed() bytes as they arrive (any
// split, down to one byte at a time) and call next() until it returns NeedMoreData.
//
// Each byte is examined a bounded number of times, whatever the chunking, and the
// consumed prefix of the buffer is dropped as it grows, so decoding is O(n).
// Every limit in StompLimits is checked while bytes are still arriving, so a frame
// that can only end up too large fails before we buffer it.
//
// An error is final: errorString() explains it in words meant for the `message`
// header of the STOMP ERROR frame the server then sends before closing; later feeds
// are ignored and next() keeps returning Error.
class StompDecoder
{
public:
    // Which commands are legal: a server decodes client frames; a probe client decodes
    // server frames; a tap or a fuzzer may accept both.
    enum class Accept { ClientFrames, ServerFrames, AnyFrames };
    enum class Status {
        NeedMoreData, // nothing complete yet; feed() more
        Frame, // a frame is ready: takeFrame()
        HeartBeat, // one EOL (LF or CRLF) between frames: the peer is alive
        Error, // see errorString(); the decoder stays failed
    };

    explicit StompDecoder(Accept accept = Accept::ClientFrames, const StompLimits &limits = {});

    // Header escaping depends on the version: 1.2 has \r \n \c \\, 1.1 lacks \r and
    // 1.0 has none. CONNECT, STOMP and CONNECTED are never unescaped. Defaults to 1.2;
    // the server sets the negotiated version right after it decoded CONNECT.
    void setVersion(StompVersion version) { m_version = version; }
    StompVersion version() const { return m_version; }

    void setAccept(Accept accept) { m_accept = accept; }
    Accept accept() const { return m_accept; }

    const StompLimits &limits() const { return m_limits; }
    void setLimits(const StompLimits &limits) { m_limits = limits; }

    void feed(QByteArrayView bytes);
    Status next();
    // The frame of the last next() that returned Frame (moved out).
    StompFrame takeFrame();

    bool hasError() const { return m_state == State::Failed; }
    const QString &errorString() const { return m_error; }
    // Heart-beat EOLs seen so far.
    qint64 heartBeatCount() const { return m_heartBeats; }
    // Frames decoded so far.
    qint64 frameCount() const { return m_frames; }
    // Bytes received but not yet part of a decoded frame or heart-beat.
    qsizetype bufferedBytes() const { return m_buffer.size() - m_pos; }
    // True between frames (nothing partial pending): e.g. a clean place to close.
    bool isIdle() const { return m_state == State::FrameStart && bufferedBytes() == 0; }

    // Back to a fresh decoder, keeping accept mode, limits and version.
    void reset();

private:
    enum class State { FrameStart, Command, Headers, Body, Failed };
    enum class LineResult { Complete, Incomplete, Failed };

    Status fail(const QString &message);
    Status startFrame();
    Status parseCommand();
    Status parseHeaders();
    Status parseBody();
    Status finishHeaders();
    LineResult readLine(QByteArrayView *line, qsizetype maxLineBytes);
    bool parseHeaderLine(QByteArrayView line);
    void consume(qsizetype bytes);
    void compact();

    StompLimits m_limits;
    Accept m_accept;
    StompVersion m_version = StompVersion::V1_2;
    State m_state = State::FrameStart;

    QByteArray m_buffer;
    qsizetype m_pos = 0; // first byte not yet consumed
    qsizetype m_scan = 0; // bytes in [m_pos, m_scan) are known not to end the current item
    qsizetype m_frameBytes = 0; // bytes of the current frame consumed so far
    qint64 m_contentLength = -1;

    StompFrame m_frame;
    QString m_error;
    qint64 m_heartBeats = 0;
    qint64 m_frames = 0;
};

} // namespace sb::protocol
