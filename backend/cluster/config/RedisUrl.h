#pragma once

#include <QString>

namespace sb::cluster {

// Where a Redis server is and how to log in: `redis://[[user]:password@]host[:port][/db]`.
// A value type; parse() never throws, an invalid result carries a one-line reason.
class RedisUrl
{
public:
    static constexpr quint16 DefaultPort = 6379;

    RedisUrl() = default;
    RedisUrl(QString host, quint16 port, int db = 0);

    // Accepts redis://host, redis://host:port/db, redis://:password@host,
    // redis://user:password@host (Redis 6 ACL) and IPv6 as redis://[::1]:6379.
    // rediss:// (TLS) is rejected: hiredis 0.14 has no TLS support.
    static RedisUrl parse(const QString &text);

    bool isValid() const { return m_error.isEmpty() && !m_host.isEmpty(); }
    QString errorString() const { return m_error; }

    QString host() const { return m_host; }
    quint16 port() const { return m_port; }
    int database() const { return m_db; }
    QString userName() const { return m_user; }
    QString password() const { return m_password; }

    void setUserName(const QString &user) { m_user = user; }
    void setPassword(const QString &password) { m_password = password; }
    void setDatabase(int db) { m_db = db; }

    // The URL with the password replaced by "***": the only form that may be logged or shown.
    QString redacted() const;
    // The full URL including the password (for handing to another process, never for logs).
    QString toString() const;

    friend bool operator==(const RedisUrl &, const RedisUrl &) = default;

private:
    static RedisUrl invalid(const QString &reason);
    QString build(bool withPassword) const;

    QString m_host;
    quint16 m_port = DefaultPort;
    int m_db = 0;
    QString m_user;
    QString m_password;
    QString m_error;
};

} // namespace sb::cluster
