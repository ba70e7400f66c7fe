#include "models/ProfileStore.h"

#include "cluster/KafkaSettings.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QSettings>
#include <QStandardPaths>
#include <QUrl>

namespace sb::models {

namespace {
QString groupFor(const QString &name)
{
    // QSettings treats '/' as a separator; percent-encode so any name round-trips.
    return QStringLiteral("profiles/") + QString::fromLatin1(QUrl::toPercentEncoding(name));
}
} // namespace

ProfileStore::ProfileStore(const QString &secretsPath)
    : m_secretsPath(secretsPath)
{
    if (m_secretsPath.isEmpty())
        m_secretsPath = QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation)
            + QStringLiteral("/secrets.json");
}

QStringList ProfileStore::names() const
{
    QSettings settings;
    settings.beginGroup(QStringLiteral("profiles"));
    QStringList names;
    for (const QString &group : settings.childGroups())
        names << QUrl::fromPercentEncoding(group.toLatin1());
    names.sort(Qt::CaseInsensitive);
    return names;
}

std::optional<Profile> ProfileStore::load(const QString &name) const
{
    QSettings settings;
    settings.beginGroup(groupFor(name));
    if (settings.childKeys().isEmpty())
        return std::nullopt;
    Profile p;
    p.name = name;
    p.redisUrl = settings.value(QStringLiteral("redisUrl")).toString();
    p.rememberPassword = settings.value(QStringLiteral("rememberPassword"), false).toBool();
    p.kafkaBootstrap = settings.value(QStringLiteral("kafkaBootstrap")).toString();
    p.kafkaProperties = settings.value(QStringLiteral("kafkaProperties")).toStringList();
    p.kafkaGroups = settings.value(QStringLiteral("kafkaGroups")).toStringList();
    p.useRegistry = settings.value(QStringLiteral("useRegistry"), true).toBool();
    p.prometheusEndpoints = settings.value(QStringLiteral("prometheusEndpoints")).toStringList();
    p.connectionMetric = settings.value(QStringLiteral("connectionMetric"), p.connectionMetric).toString();
    p.adminStatsUrls = settings.value(QStringLiteral("adminStatsUrls")).toStringList();
    p.adminUser = settings.value(QStringLiteral("adminUser")).toString();
    p.readOnly = settings.value(QStringLiteral("readOnly"), false).toBool();
    p.faultControlUrl = settings.value(QStringLiteral("faultControlUrl")).toString();
    // A JSON object, so a threshold added later takes its default in older profiles.
    p.alerts = AlertThresholds::fromJson(
        QJsonDocument::fromJson(settings.value(QStringLiteral("alerts")).toString().toUtf8()).object());
    if (p.rememberPassword) {
        p.redisPassword = readSecret(name);
        p.adminPassword = readSecret(adminSecretsKey(name));
        const QString kafkaSecrets = readSecret(kafkaSecretsKey(name));
        if (!kafkaSecrets.isEmpty())
            p.kafkaProperties += kafkaSecrets.split(QLatin1Char('\n'));
    }
    return p;
}

bool ProfileStore::save(const Profile &profile, QString *error)
{
    if (const QString invalid = profile.validationError(); !invalid.isEmpty()) {
        *error = invalid;
        return false;
    }
    // A password typed into the Redis URL is the Redis password: it goes where that one
    // goes (the secrets file, when remembered), never into the plain settings file.
    Profile p = profile;
    if (QUrl url(p.redisUrl, QUrl::StrictMode); url.isValid() && !url.password().isEmpty()) {
        if (p.redisPassword.isEmpty())
            p.redisPassword = url.password(QUrl::FullyDecoded);
        url.setPassword(QString());
        if (url.userName().isEmpty())
            url.setUserInfo(QString());
        p.redisUrl = url.toString();
    }
    // Kafka properties that carry secrets (sasl.password, ssl.key.password, ...) are kept
    // like the Redis password: in the owner-only secrets file, and only when remembered.
    QStringList plainKafka;
    QStringList secretKafka;
    for (const QString &line : p.kafkaProperties) {
        const QString key = line.section(QLatin1Char('='), 0, 0).trimmed();
        (cluster::KafkaSettings::isSecret(key.toUtf8()) ? secretKafka : plainKafka).append(line);
    }
    if (!writeSecret(p.name, p.rememberPassword ? p.redisPassword : QString(), error)
        || !writeSecret(kafkaSecretsKey(p.name),
            p.rememberPassword ? secretKafka.join(QLatin1Char('\n')) : QString(), error)
        || !writeSecret(adminSecretsKey(p.name), p.rememberPassword ? p.adminPassword : QString(), error))
        return false;
    QSettings settings;
    settings.remove(groupFor(p.name));
    settings.beginGroup(groupFor(p.name));
    settings.setValue(QStringLiteral("redisUrl"), p.redisUrl);
    settings.setValue(QStringLiteral("rememberPassword"), p.rememberPassword);
    settings.setValue(QStringLiteral("kafkaBootstrap"), p.kafkaBootstrap);
    settings.setValue(QStringLiteral("kafkaProperties"), plainKafka);
    settings.setValue(QStringLiteral("kafkaGroups"), p.kafkaGroups);
    settings.setValue(QStringLiteral("useRegistry"), p.useRegistry);
    settings.setValue(QStringLiteral("prometheusEndpoints"), p.prometheusEndpoints);
    settings.setValue(QStringLiteral("connectionMetric"), p.connectionMetric);
    settings.setValue(QStringLiteral("adminStatsUrls"), p.adminStatsUrls);
    settings.setValue(QStringLiteral("adminUser"), p.adminUser);
    settings.setValue(QStringLiteral("readOnly"), p.readOnly);
    settings.setValue(QStringLiteral("faultControlUrl"), p.faultControlUrl);
    settings.setValue(QStringLiteral("alerts"),
        QString::fromUtf8(QJsonDocument(p.alerts.toJson()).toJson(QJsonDocument::Compact)));
    settings.endGroup();
    settings.sync();
    if (settings.status() != QSettings::NoError) {
        *error = QStringLiteral("cannot write the settings file %1").arg(settings.fileName());
        return false;
    }
    return true;
}

void ProfileStore::remove(const QString &name)
{
    QString ignored;
    writeSecret(name, QString(), &ignored);
    writeSecret(kafkaSecretsKey(name), QString(), &ignored);
    writeSecret(adminSecretsKey(name), QString(), &ignored);
    QSettings settings;
    settings.remove(groupFor(name));
}

QString ProfileStore::kafkaSecretsKey(const QString &name)
{
    return name + QChar(0x1f) + QStringLiteral("kafka");
}

QString ProfileStore::adminSecretsKey(const QString &name)
{
    return name + QChar(0x1f) + QStringLiteral("admin");
}

QString ProfileStore::readSecret(const QString &name) const
{
    QFile file(m_secretsPath);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object().value(name).toString();
}

bool ProfileStore::writeSecret(const QString &name, const QString &password, QString *error)
{
    QJsonObject secrets;
    if (QFile existing(m_secretsPath); existing.open(QIODevice::ReadOnly))
        secrets = QJsonDocument::fromJson(existing.readAll()).object();
    if (password.isEmpty() && !secrets.contains(name))
        return true; // nothing stored, nothing to forget
    if (password.isEmpty())
        secrets.remove(name);
    else
        secrets.insert(name, password);

    QDir().mkpath(QFileInfo(m_secretsPath).absolutePath());
    QSaveFile file(m_secretsPath);
    // Owner-only before any byte is written, so the secret is never world-readable.
    if (!file.open(QIODevice::WriteOnly)
        || !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)
        || file.write(QJsonDocument(secrets).toJson(QJsonDocument::Compact)) < 0 || !file.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(m_secretsPath, file.errorString());
        return false;
    }
    return true;
}

} // namespace sb::models
