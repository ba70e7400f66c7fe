#pragma once

#include "protocol/JwtVerifyResult.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QDateTime>
#include <QJsonObject>

namespace sb::protocol {

// HS256 JSON Web Tokens (RFC 7519/7515) with one shared secret. Only HS256 is accepted,
// whatever the header says, so "alg: none" and algorithm-confusion tokens fail.
// Revocation (the jti registry in Redis) is the node's job, not this class's.
//
// Required claims: sub (non-empty string), jti (non-empty string), exp (NumericDate).
// Optional but typed when present: roles (array of strings), iat, nbf (NumericDate).
class JwtCodec
{
public:
    static constexpr qsizetype MaxTokenSize = 8 * 1024;
    static constexpr qint64 DefaultSkewSeconds = 30;

    explicit JwtCodec(const QByteArray &secret, qint64 skewSeconds = DefaultSkewSeconds);

    // header {"alg":"HS256","typ":"JWT"} + compact JSON claims, base64url without padding.
    QByteArray sign(const QJsonObject &claims) const;
    // now: seconds since the Unix epoch, injected so time is testable.
    JwtVerifyResult verify(QByteArrayView token, qint64 nowSeconds) const;
    JwtVerifyResult verify(QByteArrayView token, const QDateTime &now) const;

    // base64url(HMAC-SHA256(secret, signingInput)): the third segment for "header.payload".
    QByteArray signature(QByteArrayView signingInput) const;

    qint64 skewSeconds() const { return m_skewSeconds; }

    static QByteArray base64UrlEncode(QByteArrayView data);
    // Strict: only the URL alphabet, no padding, canonical trailing bits. False on anything else.
    static bool base64UrlDecode(QByteArrayView text, QByteArray *out);
    // Examines every byte whatever the differences, so timing does not reveal a prefix match.
    static bool constantTimeEquals(QByteArrayView a, QByteArrayView b);

private:
    QByteArray mac(QByteArrayView signingInput) const;

    QByteArray m_secret;
    qint64 m_skewSeconds;
};

} // namespace sb::protocol
