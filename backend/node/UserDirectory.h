#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

#include <optional>

namespace sb::node {

struct User
{
    QString name;
    QString passwordHash;
    QStringList roles;
    QStringList channels;

    bool isAdmin() const { return roles.contains(QStringLiteral("ROLE_ADMIN")); }
    bool isMember(const QString &channel) const { return channels.contains(channel); }
};

// The accounts a replica accepts: a users file and/or the demo users. Filled before the
// workers start and read-only afterwards, so threads share it without locks.
class UserDirectory
{
public:
    // users file: {"users":[{"name","passwordHash","roles":[...],"channels":[...]}]}
    bool loadFile(const QString &path, QString *error);
    // alice, bob, carol (ROLE_USER; general for all, ops for alice and bob), admin (ROLE_ADMIN);
    // each password equals the name.
    void addDemoUsers();
    bool addUser(const User &user, QString *error);

    std::optional<User> find(const QString &name) const;
    // Checks the password against the stored hash; the same cost whether or not the user exists.
    std::optional<User> authenticate(const QString &name, const QString &password) const;
    QStringList membersOf(const QString &channel) const;
    int size() const { return int(m_users.size()); }

private:
    QHash<QString, User> m_users;
};

} // namespace sb::node
