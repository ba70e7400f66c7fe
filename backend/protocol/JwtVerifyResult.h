#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace sb::protocol {

// Outcome of JwtCodec::verify(): the reason is an enum so callers branch on it and
// metrics label it (reasonName()); message() is for logs and error bodies.
class JwtVerifyResult
{
public:
    enum class Reason { Ok, Malformed, UnsupportedAlgorithm, BadSignature, Expired, NotYetValid };

    JwtVerifyResult() = default;
    static JwtVerifyResult failure(Reason reason, const QString &message);

    bool isOk() const { return m_reason == Reason::Ok; }
    Reason reason() const { return m_reason; }
    // Stable snake_case: ok, malformed, unsupported_algorithm, bad_signature, expired, not_yet_valid.
    QByteArray reasonName() const { return reasonName(m_reason); }
    static QByteArray reasonName(Reason reason);
    QString message() const { return m_message; }

    // Claims; filled only when isOk().
    QJsonObject claims() const { return m_claims; }
    QString subject() const { return m_subject; }
    QStringList roles() const { return m_roles; }
    QString jti() const { return m_jti; }
    qint64 issuedAt() const { return m_issuedAt; } // 0 when absent
    qint64 expiresAt() const { return m_expiresAt; }

private:
    friend class JwtCodec;

    Reason m_reason = Reason::Malformed;
    QString m_message;
    QJsonObject m_claims;
    QString m_subject;
    QStringList m_roles;
    QString m_jti;
    qint64 m_issuedAt = 0;
    qint64 m_expiresAt = 0;
};

} // namespace sb::protocol
