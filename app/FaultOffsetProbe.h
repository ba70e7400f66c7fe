#pragma once

#include "cluster/KafkaSettings.h"

#include <QByteArray>
#include <QObject>

#include <map>
#include <memory>

namespace sb::cluster {
class KafkaStage1Reader;
}

namespace sb::app {

// Reads a topic's log-end offsets (summed over its partitions) for the fault actions'
// effect watches, e.g. "the DLT grew by N". The reads block (librdkafka's watermark query),
// so this object lives on a thread of its own: call read() through a queued invoke and
// take endOffsets() through a queued connection. Never joins a group.
class FaultOffsetProbe : public QObject
{
    Q_OBJECT
public:
    explicit FaultOffsetProbe(cluster::KafkaSettings settings);
    ~FaultOffsetProbe() override;

    // On its own thread: the sum of `topic`'s log-end offsets, or an error.
    void read(int ticket, const QByteArray &topic);
    // On its own thread: `group`'s lag on `topic` (log end − committed, summed over the
    // partitions it has committed on), or an error.
    void readLag(int ticket, const QByteArray &topic, const QByteArray &group);

signals:
    void endOffsets(int ticket, qint64 total, const QString &error);
    void lag(int ticket, qint64 lag, const QString &error);

private:
    cluster::KafkaSettings m_settings;
    struct TopicReader
    {
        std::unique_ptr<cluster::KafkaStage1Reader> reader;
        int partitions = 0;
    };
    // Opened at first use, kept: one per topic (and per group for readLag).
    TopicReader *reader(const QByteArray &topic, const QByteArray &group, QString *error);
    std::map<QByteArray, TopicReader> m_readers;
};

} // namespace sb::app
