#include "protocol/JwtVerifyResult.h"

namespace sb::protocol {

JwtVerifyResult JwtVerifyResult::failure(Reason reason, const QString &message)
{
    JwtVerifyResult result;
    result.m_reason = reason;
    result.m_message = message;
    return result;
}

QByteArray JwtVerifyResult::reasonName(Reason reason)
{
    switch (reason) {
    case Reason::Ok:
        return QByteArrayLiteral("ok");
    case Reason::Malformed:
        return QByteArrayLiteral("malformed");
    case Reason::UnsupportedAlgorithm:
        return QByteArrayLiteral("unsupported_algorithm");
    case Reason::BadSignature:
        return QByteArrayLiteral("bad_signature");
    case Reason::Expired:
        return QByteArrayLiteral("expired");
    case Reason::NotYetValid:
        return QByteArrayLiteral("not_yet_valid");
    }
    return QByteArrayLiteral("malformed");
}

} // namespace sb::protocol
