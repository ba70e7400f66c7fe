#pragma once

#include "cluster/BusHop.h"
#include "cluster/KafkaRecord.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

namespace sb::cluster::kafkabus {

// The bus carries JSON objects ({"type":"message","message":{"id":…}} or
// {"type":"presence",…}); anything else cannot be handled by any replica, ever.
inline bool decode(const QByteArray &payload, QJsonObject *object, QString *why)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(payload, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *why = u"undecodable record: " + parseError.errorString() + u" at byte "
            + QString::number(parseError.offset);
        return false;
    }
    if (!document.isObject()) {
        *why = QStringLiteral("undecodable record: not a JSON object");
        return false;
    }
    *object = document.object();
    return true;
}

inline BusHop hopOf(const KafkaRecord &record)
{
    return BusHop { .medium = BusHop::Medium::Kafka,
        .topic = record.topic,
        .partition = record.partition,
        .offset = record.offset,
        .key = record.key };
}

inline QByteArray messageId(const QJsonObject &event)
{
    const QJsonValue id = event.value(u"message").toObject().value(u"id");
    if (id.isString())
        return id.toString().toUtf8();
    if (id.isDouble())
        return QByteArray::number(static_cast<qint64>(id.toDouble()));
    return {};
}

} // namespace sb::cluster::kafkabus
