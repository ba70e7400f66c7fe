#pragma once

#include "cluster/KafkaHandles.h"
#include "cluster/KafkaRecord.h"

#include <QByteArray>
#include <QString>
#include <QStringView>

namespace sb::cluster {

// Kafka property list (name, value), applied in order; later entries win.
using KafkaProperties = KafkaHeaders;

// Where the cluster is (`--kafka host:port,...`) and the operator's `--kafka-property
// key=value` passthrough (SASL/SSL, timeouts, ...). Every client of the Kafka layer is
// built from one of these, so a real cluster and the embedded mock use the same code.
//
// Precedence when a client builds its configuration (createConf): the client's defaults,
// then bootstrap.servers, then the passthrough (the operator knows their cluster), then
// what the client cannot work without (e.g. the bus's group ids, enable.auto.commit=false
// for at-least-once, enable.idempotence=true for the producer).
class KafkaSettings
{
public:
    KafkaSettings() = default;
    explicit KafkaSettings(QByteArray bootstrapServers)
        : m_bootstrapServers(std::move(bootstrapServers))
    { }

    const QByteArray &bootstrapServers() const { return m_bootstrapServers; }
    void setBootstrapServers(QByteArray servers) { m_bootstrapServers = std::move(servers); }

    const KafkaProperties &properties() const { return m_properties; }
    void setProperty(const QByteArray &name, const QByteArray &value);
    // Parses one `key=value` (the value may contain '='), checks it against librdkafka,
    // and adds it. On failure returns false with *error naming the property.
    bool addProperty(QStringView keyEqualsValue, QString *error);

    // Applies everything to a throwaway configuration: false with a clear *error if
    // librdkafka rejects a name or value, or no bootstrap servers are set.
    bool validate(QString *error) const;

    // A new configuration (see the class comment for precedence), or null with *error.
    KafkaConf createConf(
        const KafkaProperties &defaults, const KafkaProperties &required, QString *error) const;

    // True for property names whose values must never be logged or echoed in errors.
    static bool isSecret(const QByteArray &name);

private:
    QByteArray m_bootstrapServers;
    KafkaProperties m_properties;
};

} // namespace sb::cluster
