#include "cluster/KafkaSettings.h"

namespace sb::cluster {

namespace {

bool apply(rd_kafka_conf_t *conf, const QByteArray &name, const QByteArray &value, QString *error)
{
    char reason[512];
    reason[0] = '\0';
    if (rd_kafka_conf_set(conf, name.constData(), value.constData(), reason, sizeof reason)
        == RD_KAFKA_CONF_OK)
        return true;
    if (error) {
        const QByteArray shown = KafkaSettings::isSecret(name) ? QByteArray("***") : value;
        *error = u"Kafka property " + QString::fromUtf8(name) + u'=' + QString::fromUtf8(shown) + u": "
            + QString::fromUtf8(reason);
    }
    return false;
}

bool applyAll(rd_kafka_conf_t *conf, const KafkaProperties &properties, QString *error)
{
    for (const auto &[name, value] : properties) {
        if (!apply(conf, name, value, error))
            return false;
    }
    return true;
}

} // namespace

void KafkaSettings::setProperty(const QByteArray &name, const QByteArray &value)
{
    m_properties.append({ name, value });
}

bool KafkaSettings::addProperty(QStringView keyEqualsValue, QString *error)
{
    const qsizetype eq = keyEqualsValue.indexOf(u'=');
    const QStringView name = eq < 0 ? QStringView() : keyEqualsValue.left(eq).trimmed();
    if (name.isEmpty()) {
        if (error)
            *error = u"Kafka property must be key=value, got \"" + keyEqualsValue.toString() + u'"';
        return false;
    }
    const QByteArray key = name.toUtf8();
    const QByteArray value = keyEqualsValue.mid(eq + 1).toUtf8();
    // Checked now, so a typo fails at start-up with the name in the message rather than
    // when the first client is created.
    KafkaConf probe(rd_kafka_conf_new());
    if (!apply(probe.get(), key, value, error))
        return false;
    setProperty(key, value);
    return true;
}

bool KafkaSettings::validate(QString *error) const
{
    return createConf({}, {}, error) != nullptr;
}

KafkaConf KafkaSettings::createConf(
    const KafkaProperties &defaults, const KafkaProperties &required, QString *error) const
{
    if (m_bootstrapServers.trimmed().isEmpty()) {
        if (error)
            *error = QStringLiteral("no Kafka bootstrap servers configured (--kafka host:port,...)");
        return {};
    }
    KafkaConf conf(rd_kafka_conf_new());
    if (!applyAll(conf.get(), defaults, error)
        || !apply(conf.get(), QByteArrayLiteral("bootstrap.servers"), m_bootstrapServers, error)
        || !applyAll(conf.get(), m_properties, error) || !applyAll(conf.get(), required, error))
        return {};
    return conf;
}

bool KafkaSettings::isSecret(const QByteArray &name)
{
    const QByteArray lower = name.toLower();
    return lower.contains("password") || lower.contains("secret") || lower.contains("jaas")
        || lower.endsWith(".key.pem") || lower.contains("token");
}

} // namespace sb::cluster
