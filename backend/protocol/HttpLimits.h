#pragma once

#include <QtGlobal>

namespace sb::protocol {

// Bounds the HTTP/1.1 parser enforces while bytes arrive, so a hostile or broken peer
// can never make a connection buffer more than these amounts.
struct HttpLimits
{
    qsizetype maxRequestLine = 8 * 1024; // request-line bytes (without the line end) -> 414
    qsizetype maxHeaderSection = 16 * 1024; // all field lines incl. line ends -> 431
    int maxHeaderCount = 100; // number of field lines -> 431
    qint64 maxBodySize = 1024 * 1024; // decoded body bytes, CL or chunked -> 413
    qsizetype maxChunkSizeLine = 1024; // chunk-size line incl. extensions -> 400
    int maxLeadingEmptyLines = 8; // RFC 9112 2.2 lets us skip a few CRLFs
};

} // namespace sb::protocol
