#include "node/PasswordHasher.h"

#include <QPasswordDigestor>
#include <QRandomGenerator>
#include <QStringList>

namespace sb::node {

namespace {
constexpr int kKeyBytes = 32;
constexpr int kMaxIterations = 10'000'000; // a hostile users file must not stall logins forever

struct Parsed
{
    int iterations = 0;
    QByteArray salt;
    QByteArray key;
};

bool parse(const QString &encoded, Parsed *out)
{
    const QStringList parts = encoded.split(u'$');
    if (parts.size() != 4 || parts[0] != u"pbkdf2-sha256")
        return false;
    bool ok = false;
    out->iterations = parts[1].toInt(&ok);
    if (!ok || out->iterations < 1 || out->iterations > kMaxIterations)
        return false;
    auto salt = QByteArray::fromBase64Encoding(parts[2].toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    auto key = QByteArray::fromBase64Encoding(parts[3].toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!salt || !key || salt.decoded.size() < 8 || key.decoded.size() != kKeyBytes)
        return false;
    out->salt = salt.decoded;
    out->key = key.decoded;
    return true;
}

bool constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}
} // namespace

QString PasswordHasher::hash(const QString &password, int iterations)
{
    QByteArray salt(16, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(salt.data()), salt.size() / 4);
    const QByteArray key = QPasswordDigestor::deriveKeyPbkdf2(
        QCryptographicHash::Sha256, password.toUtf8(), salt, iterations, kKeyBytes);
    return QStringLiteral("pbkdf2-sha256$%1$%2$%3")
        .arg(iterations)
        .arg(QString::fromLatin1(salt.toBase64()), QString::fromLatin1(key.toBase64()));
}

bool PasswordHasher::verify(const QString &password, const QString &encoded)
{
    Parsed parsed;
    if (!parse(encoded, &parsed))
        return false;
    const QByteArray key = QPasswordDigestor::deriveKeyPbkdf2(
        QCryptographicHash::Sha256, password.toUtf8(), parsed.salt, parsed.iterations, kKeyBytes);
    return constantTimeEquals(key, parsed.key);
}

bool PasswordHasher::isWellFormed(const QString &encoded)
{
    Parsed parsed;
    return parse(encoded, &parsed);
}

} // namespace sb::node
