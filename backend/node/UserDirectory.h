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
    // Sorted by name; from an index, not a scan of every user's channels (a SEND asks
    // isMember and its notification membersOf: with 500 channels per user the scans were
    // 2.4 % of the worker's time, docs/benchmarks.md, "Scenario 4").
    QStringList membersOf(const QString &channel) const { return m_members.value(channel); }
    bool isMember(const QString &user, const QString &channel) const;
    int size() const { return int(m_users.size()); }

private:
    // Into m_users, replacing a user of that name, and into m_members.
    void store(const User &user);

    QHash<QString, User> m_users;
    QHash<QString, QStringList> m_members; // channel -> its members, sorted, each once
};

} // namespace sb::node
