#include "node/UserDirectory.h"

#include "node/PasswordHasher.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <algorithm>

namespace sb::node {

namespace {
constexpr qint64 kMaxUsersFileBytes = 16 * 1024 * 1024;
constexpr int kDemoIterations = 20000; // demo passwords equal the names; cost buys nothing

QStringList strings(const QJsonValue &value)
{
    QStringList list;
    for (const QJsonValue &item : value.toArray())
        if (item.isString())
            list << item.toString();
    return list;
}
} // namespace

bool UserDirectory::addUser(const User &user, QString *error)
{
    static const QRegularExpression validName(QStringLiteral("^[A-Za-z0-9._@-]{1,64}$"));
    if (!validName.match(user.name).hasMatch()) {
        *error = QStringLiteral("user name '%1' must be 1-64 letters, digits or . _ @ -").arg(user.name);
        return false;
    }
    if (!PasswordHasher::isWellFormed(user.passwordHash)) {
        *error = QStringLiteral("user '%1' has no valid pbkdf2-sha256 password hash "
                                "(make one with 'switchboard node hash-password')")
                     .arg(user.name);
        return false;
    }
    if (m_users.contains(user.name)) {
        *error = QStringLiteral("user '%1' is defined twice").arg(user.name);
        return false;
    }
    store(user);
    return true;
}

void UserDirectory::store(const User &user)
{
    const auto previous = m_users.constFind(user.name);
    if (previous != m_users.cend()) {
        for (const QString &channel : previous->channels) {
            QStringList &members = m_members[channel];
            members.removeOne(user.name);
            if (members.isEmpty())
                m_members.remove(channel);
        }
    }
    m_users.insert(user.name, user);
    for (const QString &channel : user.channels) {
        QStringList &members = m_members[channel];
        const auto at = std::lower_bound(members.begin(), members.end(), user.name);
        if (at == members.end() || *at != user.name)
            members.insert(at, user.name);
    }
}

bool UserDirectory::isMember(const QString &user, const QString &channel) const
{
    const auto members = m_members.constFind(channel);
    return members != m_members.cend() && std::binary_search(members->cbegin(), members->cend(), user);
}

bool UserDirectory::loadFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read users file %1: %2").arg(path, file.errorString());
        return false;
    }
    if (file.size() > kMaxUsersFileBytes) {
        *error = QStringLiteral("users file %1 is larger than 16 MiB").arg(path);
        return false;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    const QJsonArray users
        = document.isArray() ? document.array() : document.object().value(QStringLiteral("users")).toArray();
    if (document.isNull() || users.isEmpty()) {
        *error = QStringLiteral("users file %1: expected {\"users\":[…]} with at least one user%2")
                     .arg(path,
                         parseError.error == QJsonParseError::NoError
                             ? QString()
                             : QStringLiteral(" (") + parseError.errorString() + u')');
        return false;
    }
    for (const QJsonValue &value : users) {
        const QJsonObject object = value.toObject();
        User user { object.value(QStringLiteral("name")).toString(),
            object.value(QStringLiteral("passwordHash")).toString(),
            strings(object.value(QStringLiteral("roles"))),
            strings(object.value(QStringLiteral("channels"))) };
        if (user.roles.isEmpty())
            user.roles << QStringLiteral("ROLE_USER");
        if (!addUser(user, error)) {
            *error = QStringLiteral("users file %1: %2").arg(path, *error);
            return false;
        }
    }
    return true;
}

void UserDirectory::addDemoUsers()
{
    const QString general = QStringLiteral("general");
    const QString ops = QStringLiteral("ops");
    const QString roleUser = QStringLiteral("ROLE_USER");
    const QList<User> demo {
        { QStringLiteral("alice"), {}, { roleUser }, { general, ops } },
        { QStringLiteral("bob"), {}, { roleUser }, { general, ops } },
        { QStringLiteral("carol"), {}, { roleUser }, { general } },
        { QStringLiteral("admin"), {}, { QStringLiteral("ROLE_ADMIN"), roleUser }, { general, ops } },
    };
    for (User user : demo) {
        user.passwordHash = PasswordHasher::hash(user.name, kDemoIterations);
        store(user);
    }
}

std::optional<User> UserDirectory::find(const QString &name) const
{
    const auto it = m_users.constFind(name);
    if (it == m_users.cend())
        return std::nullopt;
    return *it;
}

std::optional<User> UserDirectory::authenticate(const QString &name, const QString &password) const
{
    const auto it = m_users.constFind(name);
    if (it == m_users.cend()) {
        // Spend the same work as for a real user so response time does not reveal names.
        static const QString dummy = PasswordHasher::hash(QStringLiteral("dummy"), kDemoIterations);
        PasswordHasher::verify(password, dummy);
        return std::nullopt;
    }
    if (!PasswordHasher::verify(password, it->passwordHash))
        return std::nullopt;
    return *it;
}

} // namespace sb::node
