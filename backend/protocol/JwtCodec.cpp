#include "protocol/JwtCodec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>

#include <cmath>

namespace sb::protocol {

namespace {

using Reason = JwtVerifyResult::Reason;

constexpr qint64 MaxSkewSeconds = 24 * 3600;
constexpr double MaxNumericDate = 9007199254740992.0; // 2^53: exact in a double

// NumericDate (RFC 7519 2): a JSON number of seconds, fractions allowed (floored).
bool readNumericDate(const QJsonObject &claims, const QString &key, bool required, qint64 *out)
{
    const QJsonValue value = claims.value(key);
    if (value.isUndefined())
        return !required;
    if (!value.isDouble())
        return false;
    const double seconds = value.toDouble();
    if (!std::isfinite(seconds) || std::fabs(seconds) > MaxNumericDate)
        return false;
    *out = static_cast<qint64>(std::floor(seconds));
    return true;
}

bool readString(const QJsonObject &claims, const QString &key, QString *out)
{
    const QJsonValue value = claims.value(key);
    if (!value.isString() || value.toString().isEmpty())
        return false;
    *out = value.toString();
    return true;
}

bool readRoles(const QJsonObject &claims, QStringList *out)
{
    const QJsonValue value = claims.value(QStringLiteral("roles"));
    if (value.isUndefined())
        return true;
    if (!value.isArray())
        return false;
    const QJsonArray roles = value.toArray();
    for (const QJsonValue &role : roles) {
        if (!role.isString())
            return false;
        out->append(role.toString());
    }
    return true;
}

bool parseObject(const QByteArray &json, QJsonObject *out)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return false;
    *out = document.object();
    return true;
}

} // namespace

JwtCodec::JwtCodec(const QByteArray &secret, qint64 skewSeconds)
    : m_secret(secret)
    , m_skewSeconds(qBound<qint64>(0, skewSeconds, MaxSkewSeconds))
{ }

QByteArray JwtCodec::mac(QByteArrayView signingInput) const
{
    return QMessageAuthenticationCode::hash(signingInput.toByteArray(), m_secret, QCryptographicHash::Sha256);
}

QByteArray JwtCodec::signature(QByteArrayView signingInput) const
{
    return base64UrlEncode(mac(signingInput));
}

QByteArray JwtCodec::sign(const QJsonObject &claims) const
{
    static const QByteArray header = base64UrlEncode(QByteArrayView(R"({"alg":"HS256","typ":"JWT"})"));
    const QByteArray signingInput
        = header + '.' + base64UrlEncode(QJsonDocument(claims).toJson(QJsonDocument::Compact));
    return signingInput + '.' + signature(signingInput);
}

JwtVerifyResult JwtCodec::verify(QByteArrayView token, const QDateTime &now) const
{
    return verify(token, now.toSecsSinceEpoch());
}

JwtVerifyResult JwtCodec::verify(QByteArrayView token, qint64 nowSeconds) const
{
    if (token.size() > MaxTokenSize)
        return JwtVerifyResult::failure(
            Reason::Malformed, QStringLiteral("token larger than %1 bytes").arg(MaxTokenSize));
    const qsizetype dot1 = token.indexOf('.');
    const qsizetype dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
    if (dot2 < 0 || token.indexOf('.', dot2 + 1) >= 0)
        return JwtVerifyResult::failure(Reason::Malformed, QStringLiteral("token does not have three parts"));
    const QByteArrayView signingInput = token.first(dot2);
    QByteArray headerJson;
    QByteArray payloadJson;
    QByteArray givenMac;
    if (!base64UrlDecode(token.first(dot1), &headerJson)
        || !base64UrlDecode(token.sliced(dot1 + 1, dot2 - dot1 - 1), &payloadJson)
        || !base64UrlDecode(token.sliced(dot2 + 1), &givenMac))
        return JwtVerifyResult::failure(Reason::Malformed, QStringLiteral("invalid base64url"));

    QJsonObject header;
    if (!parseObject(headerJson, &header))
        return JwtVerifyResult::failure(Reason::Malformed, QStringLiteral("header is not a JSON object"));
    const QJsonValue alg = header.value(QStringLiteral("alg"));
    if (!alg.isString() || alg.toString() != QStringLiteral("HS256"))
        return JwtVerifyResult::failure(
            Reason::UnsupportedAlgorithm, QStringLiteral("only HS256 is accepted"));
    // RFC 7515 4.1.11: extensions we do not understand must make the token invalid.
    if (header.contains(QStringLiteral("crit")))
        return JwtVerifyResult::failure(
            Reason::Malformed, QStringLiteral("critical header extensions are not supported"));

    if (!constantTimeEquals(givenMac, mac(signingInput)))
        return JwtVerifyResult::failure(Reason::BadSignature, QStringLiteral("signature does not match"));

    // The payload is only parsed once it is known to come from a holder of the secret.
    JwtVerifyResult result;
    if (!parseObject(payloadJson, &result.m_claims))
        return JwtVerifyResult::failure(Reason::Malformed, QStringLiteral("payload is not a JSON object"));
    const QJsonObject &claims = result.m_claims;
    qint64 notBefore = 0;
    const bool hasNbf = claims.contains(QStringLiteral("nbf"));
    if (!readString(claims, QStringLiteral("sub"), &result.m_subject)
        || !readString(claims, QStringLiteral("jti"), &result.m_jti) || !readRoles(claims, &result.m_roles)
        || !readNumericDate(claims, QStringLiteral("exp"), true, &result.m_expiresAt)
        || !readNumericDate(claims, QStringLiteral("iat"), false, &result.m_issuedAt)
        || !readNumericDate(claims, QStringLiteral("nbf"), false, &notBefore))
        return JwtVerifyResult::failure(Reason::Malformed, QStringLiteral("missing or mistyped claim"));

    if (result.m_expiresAt + m_skewSeconds < nowSeconds)
        return JwtVerifyResult::failure(Reason::Expired, QStringLiteral("token expired"));
    if (hasNbf && notBefore - m_skewSeconds > nowSeconds)
        return JwtVerifyResult::failure(Reason::NotYetValid, QStringLiteral("token not valid yet (nbf)"));
    if (claims.contains(QStringLiteral("iat")) && result.m_issuedAt - m_skewSeconds > nowSeconds)
        return JwtVerifyResult::failure(
            Reason::NotYetValid, QStringLiteral("token issued in the future (iat)"));
    result.m_reason = Reason::Ok;
    result.m_message = QStringLiteral("ok");
    return result;
}

QByteArray JwtCodec::base64UrlEncode(QByteArrayView data)
{
    return data.toByteArray().toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

bool JwtCodec::base64UrlDecode(QByteArrayView text, QByteArray *out)
{
    for (char c : text) {
        const bool alphabet = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
            || c == '-' || c == '_';
        if (!alphabet)
            return false;
    }
    if (text.size() % 4 == 1)
        return false;
    auto decoded = QByteArray::fromBase64Encoding(text.toByteArray(), QByteArray::Base64UrlEncoding);
    if (!decoded)
        return false;
    // Re-encoding must give the input back, which rejects non-zero padding bits: one
    // token has exactly one spelling, so tokens can be compared and logged as strings.
    if (base64UrlEncode(decoded.decoded) != text)
        return false;
    *out = std::move(decoded.decoded);
    return true;
}

bool JwtCodec::constantTimeEquals(QByteArrayView a, QByteArrayView b)
{
    // The length is public (an HS256 MAC is always 32 bytes); the contents are not.
    if (a.size() != b.size())
        return false;
    unsigned char difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        difference |= static_cast<unsigned char>(a[i] ^ b[i]);
    // OR-accumulating has no data-dependent branch; reading back through volatile keeps
    // the compiler from proving the result early and short-cutting the loop.
    volatile unsigned char result = difference;
    return result == 0;
}

} // namespace sb::protocol
