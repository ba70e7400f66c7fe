#pragma once

#include "protocol/StompFrame.h"
#include "protocol/StompVersion.h"

#include <QByteArray>
#include <QByteArrayView>

namespace sb::protocol {

// Serialises frames for the wire; the inverse of StompDecoder for the same version.
class StompEncoder
{
public:
    // What to send when heart-beating and there is no frame to send.
    static constexpr QByteArrayView HeartBeat = "\n";

    // command, headers (escaped for `version` unless the command is CONNECT, STOMP or
    // CONNECTED), blank line, body, NUL.
    // content-length: any content-length the frame carries is replaced by the real body
    // size; one is added whenever the body is not empty, so a body may contain NUL and
    // the peer never has to scan for the end. An empty body gets one only if the frame
    // already had it.
    // Bytes that cannot be represented are dropped rather than sent raw, so a header
    // value can never inject a header line: CR/LF where escaping is off or unavailable
    // (1.0; CONNECT/CONNECTED; CR in 1.1), ':' in unescaped names, and CR/LF/NUL in the
    // command.
    static QByteArray encode(const StompFrame &frame, StompVersion version = StompVersion::V1_2);

    // Escapes one header name or value (STOMP 1.1/1.2 §Value Encoding).
    static QByteArray escape(QByteArrayView text, StompVersion version);
    // The same for a value that usually needs nothing (ids on the delivery path): `text`
    // itself, shared rather than copied, when escaping would not change a byte of it.
    static QByteArray escape(const QByteArray &text, StompVersion version);
};

} // namespace sb::protocol
