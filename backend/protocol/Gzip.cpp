#include "protocol/Gzip.h"

#include <zlib.h>

#include <algorithm>
#include <climits>

namespace sb::protocol {

namespace {
// zlib's window bits: 15 (32 KiB window), +16 for a gzip header and trailer.
constexpr int kGzipWindowBits = 15 + 16;
constexpr qsizetype kChunk = 256 * 1024;
} // namespace

bool Gzip::looksCompressed(const QByteArray &bytes)
{
    return bytes.size() >= 2 && quint8(bytes.at(0)) == 0x1f && quint8(bytes.at(1)) == 0x8b;
}

QByteArray Gzip::compress(const QByteArray &bytes)
{
    if (bytes.size() > qsizetype(UINT_MAX))
        return {};
    z_stream stream {};
    if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY)
        != Z_OK)
        return {};
    QByteArray out;
    out.resize(qsizetype(deflateBound(&stream, uLong(bytes.size()))));
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(bytes.constData()));
    stream.avail_in = uInt(bytes.size());
    stream.next_out = reinterpret_cast<Bytef *>(out.data());
    stream.avail_out = uInt(out.size());
    const int result = deflate(&stream, Z_FINISH);
    const qsizetype written = qsizetype(stream.total_out);
    deflateEnd(&stream);
    if (result != Z_STREAM_END)
        return {};
    out.truncate(written);
    return out;
}

std::optional<QByteArray> Gzip::decompress(const QByteArray &bytes, qint64 maxBytes, QString *error)
{
    if (!looksCompressed(bytes)) {
        *error = QStringLiteral("not gzip data");
        return std::nullopt;
    }
    if (bytes.size() > qsizetype(UINT_MAX)) {
        *error = QStringLiteral("too large to decompress");
        return std::nullopt;
    }
    z_stream stream {};
    if (inflateInit2(&stream, kGzipWindowBits) != Z_OK) {
        *error = QStringLiteral("cannot start decompressing");
        return std::nullopt;
    }
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(bytes.constData()));
    stream.avail_in = uInt(bytes.size());
    QByteArray out;
    QString failure;
    for (;;) {
        const qsizetype room = qsizetype(std::min<qint64>(kChunk, maxBytes - out.size() + 1));
        const qsizetype before = out.size();
        out.resize(before + room);
        stream.next_out = reinterpret_cast<Bytef *>(out.data() + before);
        stream.avail_out = uInt(room);
        const int result = inflate(&stream, Z_NO_FLUSH);
        out.truncate(before + room - qsizetype(stream.avail_out));
        if (out.size() > maxBytes) {
            failure = QStringLiteral("larger than %1 MB once decompressed").arg(maxBytes >> 20);
            break;
        }
        if (result == Z_STREAM_END) {
            if (stream.avail_in == 0)
                break;
            // Another gzip member follows (as `cat a.gz b.gz` makes): read it too.
            if (inflateReset(&stream) != Z_OK) {
                failure = QStringLiteral("corrupt gzip data");
                break;
            }
            continue;
        }
        if (result == Z_BUF_ERROR && stream.avail_in == 0) {
            failure = QStringLiteral("truncated gzip data");
            break;
        }
        if (result != Z_OK) {
            failure = stream.msg
                ? QStringLiteral("corrupt gzip data: %1").arg(QString::fromLatin1(stream.msg))
                : QStringLiteral("corrupt gzip data");
            break;
        }
    }
    inflateEnd(&stream);
    if (!failure.isEmpty()) {
        *error = failure;
        return std::nullopt;
    }
    return out;
}

} // namespace sb::protocol
