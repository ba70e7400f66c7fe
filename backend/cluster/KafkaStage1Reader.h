#pragma once

#include "cluster/KafkaHandles.h"
#include "cluster/KafkaRecord.h"
#include "cluster/KafkaSettings.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

#include <functional>
#include <optional>

namespace sb::cluster {

// Blocking reads of the stage-1 topic for KafkaBroadcastCatchUp, on its thread: the
// topic's partitions, their log start and end offsets, the stage-1 group's committed
// offsets, and records in given offset ranges. A consumer that names the stage-1 group
// (to read its commits) but never joins it or commits: assign() only, auto commit off.
class KafkaStage1Reader
{
public:
    KafkaStage1Reader(KafkaSettings settings, QByteArray topic, QByteArray group, QByteArray clientId);
    ~KafkaStage1Reader();

    bool open(QString *error);
    // Partition count of the topic.
    std::optional<int> partitions(QString *error);
    // Per partition: the offset after the last record (high) or of the first one kept (low).
    std::optional<QList<qint64>> endOffsets(int partitions, QString *error)
    {
        return watermarks(partitions, true, error);
    }
    std::optional<QList<qint64>> startOffsets(int partitions, QString *error)
    {
        return watermarks(partitions, false, error);
    }
    // The group's committed offset per partition (-1 where it has none).
    std::optional<QList<qint64>> committed(int partitions, QString *error);
    // Reads each partition p of `ranges` from first to last (inclusive), in offset order,
    // handing every record to `take`. False with *error if it could not, or if `giveUp`
    // said so (asked between polls).
    using Range = std::pair<qint64, qint64>;
    bool read(const QHash<int, Range> &ranges, const std::function<void(const KafkaRecord &)> &take,
        const std::function<bool()> &giveUp, QString *error);

private:
    std::optional<QList<qint64>> watermarks(int partitions, bool high, QString *error);

    const KafkaSettings m_settings;
    const QByteArray m_topic;
    const QByteArray m_group;
    const QByteArray m_clientId;
    KafkaHandle m_rk;
};

} // namespace sb::cluster
