#pragma once

#include <QByteArray>
#include <QString>

namespace sb::node {

// PBKDF2-HMAC-SHA256 password hashes in the form
//   pbkdf2-sha256$<iterations>$<base64 salt>$<base64 key>
// made with QPasswordDigestor, so a users file needs no other crypto library.
class PasswordHasher
{
public:
    static constexpr int kDefaultIterations = 100000;

    static QString hash(const QString &password, int iterations = kDefaultIterations);
    // False for a wrong password and for a malformed hash (never throws, never crashes).
    static bool verify(const QString &password, const QString &encoded);
    static bool isWellFormed(const QString &encoded);
};

} // namespace sb::node
