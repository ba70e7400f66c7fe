// libFuzzer target for Gzip::decompress (a recording file is read through it). Invariants:
//  1. no crash or sanitizer report on any input, and no more output than the bound;
//  2. what it accepts, compressed again, decompresses to the same bytes.
#include "protocol/Gzip.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace sb::protocol;

namespace {

void check(bool condition, const char *what)
{
    if (!condition) {
        std::fprintf(stderr, "invariant violated: %s\n", what);
        std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    constexpr qint64 kBound = 1 << 20;
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    QString error;
    const auto output = Gzip::decompress(input, kBound, &error);
    if (!output) {
        check(!error.isEmpty(), "a refusal says why");
        return 0;
    }
    check(output->size() <= kBound, "output within the bound");
    QString again;
    const auto back = Gzip::decompress(Gzip::compress(*output), kBound, &again);
    check(back && *back == *output, "compress then decompress gives the same bytes");
    return 0;
}
