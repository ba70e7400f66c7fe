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

// 127.0.0.0/8 or ::1, as an address (models links no QtNetwork, so no QHostAddress).
bool isLoopbackAddress(const QString &host)
{
    if (host == u"::1")
        return true;
    const QStringList octets = host.split(u'.');
    if (octets.size() != 4)
        return false;
    for (const QString &octet : octets) {
        bool ok = false;
        const int value = octet.toInt(&ok);
        if (!ok || value < 0 || value > 255 || octet.size() > 3)
            return false;
    }
    return octets.first() == u"127";
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
    if (const QString control = faultControlUrlError(faultControlUrl); !control.isEmpty())
        return control;
    if (redisUrl.isEmpty() && kafkaBootstrap.isEmpty() && prometheusEndpoints.isEmpty()
        && adminStatsUrls.isEmpty())
        return QStringLiteral("Give at least a Redis URL, a Kafka bootstrap or a replica endpoint.");
    return {};
}

QString Profile::faultControlUrlError(const QString &text)
{
    if (text.isEmpty())
        return {};
    const QUrl url(text, QUrl::StrictMode);
    const bool bare = url.userInfo().isEmpty() && (url.path().isEmpty() || url.path() == u"/")
        && !url.hasQuery() && !url.hasFragment();
    if (url.isValid() && url.scheme() == u"http" && isLoopbackAddress(url.host()) && url.port() > 0 && bare)
        return {};
    return QStringLiteral("Fault control URL must be a loopback http URL, http://127.0.0.1:PORT (the "
                          "\"control\" of the devcluster's ready line), got '%1': the endpoint can kill "
                          "the cluster's processes, so faults are sent to this machine only.")
        .arg(text);
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
