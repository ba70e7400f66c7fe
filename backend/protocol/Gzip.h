#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace sb::protocol {

// gzip (RFC 1952) for recordings: an hour of console samples and captured frames is tens of
// MB of repetitive JSON that gzip shrinks about 20x. Pure, bounded: decompression stops
// with an error past `maxBytes` of output, so a small hostile file cannot expand into
// gigabytes (a "zip bomb"). zlib does the work.
struct Gzip
{
    // Whether `bytes` starts like a gzip stream (its two magic bytes).
    static bool looksCompressed(const QByteArray &bytes);
    static QByteArray compress(const QByteArray &bytes);
    // The whole stream decompressed (concatenated members included), or nullopt and why:
    // not gzip, corrupt, truncated, or more than `maxBytes` once decompressed.
    static std::optional<QByteArray> decompress(const QByteArray &bytes, qint64 maxBytes, QString *error);
};

} // namespace sb::protocol
