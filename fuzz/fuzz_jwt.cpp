// libFuzzer target for JwtCodec::verify with a fixed secret. Invariants:
//  1. no crash or sanitizer report on any token;
//  2. a token that verifies Ok carries exactly the MAC of its signing input (re-signing
//     "header.payload" gives the same third segment) and satisfies the claim rules;
//  3. signing the returned claims gives a token that verifies Ok with the same claims.
#include "protocol/JwtCodec.h"

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
    static const JwtCodec codec(QByteArrayLiteral("fuzz-secret"));
    constexpr qint64 now = 1'700'000'000;
    const QByteArrayView token(reinterpret_cast<const char *>(data), qsizetype(size));

    const JwtVerifyResult result = codec.verify(token, now);
    check(!result.reasonName().isEmpty() && !result.message().isEmpty(), "reason and message");
    if (size > std::size_t(JwtCodec::MaxTokenSize))
        check(result.reason() == JwtVerifyResult::Reason::Malformed, "oversized is malformed");
    if (!result.isOk())
        return 0;

    const qsizetype lastDot = token.lastIndexOf('.');
    check(
        codec.signature(token.first(lastDot)) == token.sliced(lastDot + 1), "Ok token re-signs identically");
    check(!result.subject().isEmpty() && !result.jti().isEmpty(), "required claims");
    check(result.expiresAt() + codec.skewSeconds() >= now, "not expired");

    const QByteArray resigned = codec.sign(result.claims());
    const JwtVerifyResult again = codec.verify(resigned, now);
    // Re-encoding can only grow the token past the size cap if the input was near it.
    if (resigned.size() <= JwtCodec::MaxTokenSize) {
        check(again.isOk(), "re-signed claims verify");
        check(again.claims() == result.claims(), "re-signed claims are identical");
        check(codec.sign(again.claims()) == resigned, "signing is deterministic");
    }
    return 0;
}
