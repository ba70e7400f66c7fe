#include "cluster/RedisUrl.h"

#include <QUrl>

namespace sb::cluster {

namespace {
const QString kFormHint = QStringLiteral(" (expected redis://[[user]:password@]host[:port][/db])");
}

RedisUrl::RedisUrl(QString host, quint16 port, int db)
    : m_host(std::move(host))
    , m_port(port)
    , m_db(db)
{ }

RedisUrl RedisUrl::invalid(const QString &reason)
{
    RedisUrl url;
    url.m_error = reason;
    return url;
}

RedisUrl RedisUrl::parse(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return invalid(QStringLiteral("empty Redis URL") + kFormHint);

    const QUrl url(trimmed, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (scheme == u"rediss") {
        return invalid(
            QStringLiteral("TLS (rediss://) is not supported: this build's hiredis 0.14 has no TLS; "
                           "use redis:// through a TLS tunnel such as stunnel"));
    }
    if (scheme != u"redis") {
        // Say what we got without echoing the whole text: it may contain a password.
        const QString got = scheme.isEmpty() ? QStringLiteral("no scheme") : (u"scheme \"" + scheme + u'"');
        return invalid(u"unsupported Redis URL, " + got + kFormHint);
    }
    if (!url.isValid()) {
        // QUrl's own message quotes the input, password included, so only its gist is kept.
        const bool portProblem = url.errorString().contains(u"port", Qt::CaseInsensitive);
        return invalid((portProblem ? QStringLiteral("Redis URL has an invalid port")
                                    : QStringLiteral("malformed Redis URL"))
            + kFormHint);
    }
    if (url.host().isEmpty())
        return invalid(u"Redis URL has no host" + kFormHint);
    if (url.hasQuery() || url.hasFragment())
        return invalid(u"Redis URL must not have a query or fragment" + kFormHint);

    RedisUrl result;
    result.m_host = url.host(QUrl::FullyDecoded);

    const int port = url.port(DefaultPort);
    if (port <= 0 || port > 65535)
        return invalid(u"Redis URL port out of range 1-65535" + kFormHint);
    result.m_port = quint16(port);

    QString path = url.path(QUrl::FullyDecoded);
    if (path.startsWith(u'/'))
        path.remove(0, 1);
    if (!path.isEmpty()) {
        bool ok = false;
        const int db = path.toInt(&ok);
        if (!ok || db < 0)
            return invalid(
                u"Redis URL database must be a non-negative number, got \"" + path + u'"' + kFormHint);
        result.m_db = db;
    }

    result.m_user = url.userName(QUrl::FullyDecoded);
    result.m_password = url.password(QUrl::FullyDecoded);
    // "redis://secret@host" is read as a password by some clients and as a user by
    // others; guessing wrong sends a password in the clear as a user name, so refuse.
    if (!result.m_user.isEmpty() && result.m_password.isEmpty()) {
        return invalid(QStringLiteral("Redis URL has a user but no password: write redis://:password@host "
                                      "for a password alone, or redis://user:password@host"));
    }
    return result;
}

QString RedisUrl::build(bool withPassword) const
{
    QString text = QStringLiteral("redis://");
    if (!m_password.isEmpty()) {
        const QString pass
            = withPassword ? QString::fromUtf8(QUrl::toPercentEncoding(m_password)) : QStringLiteral("***");
        text += QString::fromUtf8(QUrl::toPercentEncoding(m_user)) + u':' + pass + u'@';
    }
    text += m_host.contains(u':') ? (u'[' + m_host + u']') : m_host;
    text += u':' + QString::number(m_port) + u'/' + QString::number(m_db);
    return text;
}

QString RedisUrl::redacted() const
{
    if (!isValid())
        return QStringLiteral("<invalid Redis URL>");
    return build(false);
}

QString RedisUrl::toString() const
{
    return isValid() ? build(true) : QString();
}

} // namespace sb::cluster
