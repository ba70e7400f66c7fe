#include "models/Profile.h"

#include <QUrl>

namespace sb::models {

namespace {
bool isHostPortList(const QString &text)
{
    const QStringList parts = text.split(u',', Qt::SkipEmptyParts);
    if (parts.isEmpty())
        return false;
    for (const QString &part : parts) {
        const qsizetype colon = part.lastIndexOf(u':');
        bool ok = false;
        const int port = colon > 0 ? part.mid(colon + 1).toInt(&ok) : 0;
        if (!ok || port <= 0 || port > 65535)
            return false;
    }
    return true;
}
} // namespace

QString Profile::validationError() const
{
    if (name.trimmed().isEmpty())
        return QStringLiteral("The profile needs a name.");
    if (!redisUrl.isEmpty()) {
        const QUrl url(redisUrl, QUrl::StrictMode);
        if (!url.isValid() || (url.scheme() != u"redis" && url.scheme() != u"rediss") || url.host().isEmpty())
            return QStringLiteral("Redis URL must look like redis://host:6379/0, got '%1'.").arg(redisUrl);
    }
    if (!kafkaBootstrap.isEmpty() && !isHostPortList(kafkaBootstrap))
        return QStringLiteral("Kafka bootstrap must be host:port[,host:port…], got '%1'.")
            .arg(kafkaBootstrap);
    for (const QString &line : kafkaProperties) {
        if (!line.trimmed().isEmpty() && !line.contains(u'='))
            return QStringLiteral("Kafka property '%1' is not key=value.").arg(line);
    }
    for (const QString &endpoint : prometheusEndpoints + adminStatsUrls) {
        const QUrl url(endpoint, QUrl::StrictMode);
        if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https"))
            return QStringLiteral("'%1' is not an http(s) URL.").arg(endpoint);
    }
    if (redisUrl.isEmpty() && kafkaBootstrap.isEmpty() && prometheusEndpoints.isEmpty()
        && adminStatsUrls.isEmpty())
        return QStringLiteral("Give at least a Redis URL, a Kafka bootstrap or a replica endpoint.");
    return {};
}

cluster::RedisUrl Profile::redisConnectionUrl() const
{
    QUrl url(redisUrl.trimmed(), QUrl::StrictMode);
    // RedisUrl refuses "redis://ops@host" on its own (a password alone in the user slot
    // would be sent as a user name); with the password field it is an ACL login.
    if (url.isValid() && url.password().isEmpty() && !redisPassword.isEmpty()) {
        url.setPassword(redisPassword, QUrl::DecodedMode);
        return cluster::RedisUrl::parse(url.toString(QUrl::FullyEncoded));
    }
    return cluster::RedisUrl::parse(redisUrl);
}

QString Profile::redisUser() const
{
    return QUrl(redisUrl.trimmed(), QUrl::StrictMode).userName(QUrl::FullyDecoded);
}

QStringList Profile::missingPasswords() const
{
    QStringList missing;
    const QUrl url(redisUrl.trimmed(), QUrl::StrictMode);
    if (!redisUrl.trimmed().isEmpty() && url.isValid() && !url.userName().isEmpty()
        && url.password().isEmpty() && redisPassword.isEmpty())
        missing << QStringLiteral("redis");
    if (!adminUser.isEmpty() && adminPassword.isEmpty())
        missing << QStringLiteral("admin");
    return missing;
}

} // namespace sb::models
