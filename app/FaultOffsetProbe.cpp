#include "app/FaultOffsetProbe.h"

#include "cluster/KafkaStage1Reader.h"

namespace sb::app {

FaultOffsetProbe::FaultOffsetProbe(cluster::KafkaSettings settings)
    : m_settings(std::move(settings))
{ }

FaultOffsetProbe::~FaultOffsetProbe() = default;

FaultOffsetProbe::TopicReader *FaultOffsetProbe::reader(
    const QByteArray &topic, const QByteArray &group, QString *error)
{
    TopicReader &entry = m_readers[topic + '\n' + group];
    if (!entry.reader) {
        // A group is named only because KafkaStage1Reader reads its commits; it never joins.
        auto reader = std::make_unique<cluster::KafkaStage1Reader>(
            m_settings, topic, group, QByteArrayLiteral("switchboard-fault-probe"));
        if (!reader->open(error))
            return nullptr;
        const auto count = reader->partitions(error);
        if (!count)
            return nullptr;
        entry.partitions = *count;
        entry.reader = std::move(reader);
    }
    return &entry;
}

void FaultOffsetProbe::read(int ticket, const QByteArray &topic)
{
    QString error;
    TopicReader *entry = reader(topic, QByteArrayLiteral("switchboard-fault-probe"), &error);
    if (!entry)
        return emit endOffsets(ticket, -1, error);
    const auto ends = entry->reader->endOffsets(entry->partitions, &error);
    if (!ends)
        return emit endOffsets(ticket, -1, error);
    qint64 total = 0;
    for (qint64 end : *ends)
        total += end;
    emit endOffsets(ticket, total, {});
}

void FaultOffsetProbe::readLag(int ticket, const QByteArray &topic, const QByteArray &group)
{
    QString error;
    TopicReader *entry = reader(topic, group, &error);
    if (!entry)
        return emit lag(ticket, -1, error);
    const auto ends = entry->reader->endOffsets(entry->partitions, &error);
    const auto committed = ends ? entry->reader->committed(entry->partitions, &error) : std::nullopt;
    if (!ends || !committed)
        return emit lag(ticket, -1, error);
    qint64 total = 0;
    for (int p = 0; p < entry->partitions && p < ends->size() && p < committed->size(); ++p)
        if (committed->at(p) >= 0)
            total += qMax<qint64>(0, ends->at(p) - committed->at(p));
    emit lag(ticket, total, {});
}

} // namespace sb::app
