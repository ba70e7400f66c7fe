#include "app/FaultOffsetProbe.h"

#include "cluster/KafkaStage1Reader.h"

namespace sb::app {

FaultOffsetProbe::FaultOffsetProbe(cluster::KafkaSettings settings)
    : m_settings(std::move(settings))
{
}

FaultOffsetProbe::~FaultOffsetProbe() = default;

void FaultOffsetProbe::read(int ticket, const QByteArray &topic)
{
    QString error;
    TopicReader &entry = m_readers[topic];
    if (!entry.reader) {
        // It names a group only because KafkaStage1Reader can read commits; it never joins.
        auto reader = std::make_unique<cluster::KafkaStage1Reader>(m_settings, topic, QByteArrayLiteral("switchboard-fault-probe"),
                                                                   QByteArrayLiteral("switchboard-fault-probe"));
        if (!reader->open(&error))
            return emit endOffsets(ticket, -1, error);
        const auto count = reader->partitions(&error);
        if (!count)
            return emit endOffsets(ticket, -1, error);
        entry.partitions = *count;
        entry.reader = std::move(reader);
    }
    const auto ends = entry.reader->endOffsets(entry.partitions, &error);
    if (!ends)
        return emit endOffsets(ticket, -1, error);
    qint64 total = 0;
    for (qint64 end : *ends)
        total += end;
    emit endOffsets(ticket, total, {});
}

} // namespace sb::app
