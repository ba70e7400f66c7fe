#pragma once

#include <QtGlobal>

namespace sb::protocol {

// Bounds a StompDecoder enforces while bytes arrive, so a hostile or broken peer is
// rejected as soon as it crosses one, instead of after we buffered its whole payload.
struct StompLimits
{
    // Whole frame: command line + header lines + body + terminating NUL.
    qsizetype maxFrameBytes = 65536;
    // Header lines per frame (repeated names count every time).
    qsizetype maxHeaders = 64;
    // One command or header line, without its EOL.
    qsizetype maxHeaderLineBytes = 8192;
};

} // namespace sb::protocol
