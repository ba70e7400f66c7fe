#pragma once

#include "inspect/ReplicaSnapshot.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QPointF>
#include <QStringList>

#include <vector>

namespace sb::models {

// Named series of samples over time, and their total, kept for the whole session — the
// history no live tool keeps. What a series is depends on the owner: connections per
// replica (the Replicas area, appendReplicaConnections()), lag per consumer group (the Kafka
// area), frames per second per replica and transport (the Traffic area). Each series is a
// fixed-capacity ring (default one sample a second for 24 h) of 8-byte samples, allocated as
// it fills, so memory is bounded by capacity × series (at most kMaxSeries; later ones are not
// charted). Not thread-safe: GUI thread.
class SeriesHistory
{
public:
    static constexpr int kDefaultCapacity = 24 * 3600;
    static constexpr int kMaxSeries = 256;

    explicit SeriesHistory(int capacity = kDefaultCapacity);

    // One sample per replica, its connections (WebSocket + SSE + other), and their total.
    // A down replica records 0: it serves nobody.
    void appendReplicaConnections(const sb::inspect::ReplicaSnapshot &snapshot);
    // One sample of one series (a replica, a consumer group, ...), which it starts if new.
    void append(const QString &series, qint64 atMs, double value);
    void appendTotal(qint64 atMs, double value);

    QStringList seriesIds() const { return m_order; } // in first-seen order
    int capacity() const { return m_capacity; }
    qsizetype sampleCount(const QString &series) const;
    qsizetype totalSampleCount() const { return m_total.count; }
    qint64 latestMs() const { return m_latestMs; }

    // Samples with fromMs <= t <= toMs as (ms since epoch, value), at most maxPoints: when
    // there are more, each point is the maximum of its bucket, so spikes stay visible.
    // `out` is cleared and reused (no allocation once it has grown).
    void points(const QString &series, qint64 fromMs, qint64 toMs, int maxPoints, QList<QPointF> *out) const;
    void totalPoints(qint64 fromMs, qint64 toMs, int maxPoints, QList<QPointF> *out) const;

    // {"format":"switchboard-series-history/1","total":[[ms,v]...],"series":{id:[[ms,v]...]}}
    // limited to samples at or after sinceMs.
    QJsonObject toJson(qint64 sinceMs = 0) const;

private:
    struct Sample
    {
        qint32 deciseconds; // since m_originMs: 8-byte samples, 24 h per series in 691 KB
        float value;
    };
    struct Series
    {
        std::vector<Sample> ring;
        qsizetype head = 0; // next write position once full
        qsizetype count = 0;
        const Sample &at(qsizetype i, int capacity) const; // i-th oldest
    };

    void push(Series &series, qint64 atMs, double value);
    void collect(const Series &series, qint64 fromMs, qint64 toMs, int maxPoints, QList<QPointF> *out) const;
    QJsonArray seriesJson(const Series &series, qint64 sinceMs) const;

    int m_capacity;
    qint64 m_originMs = -1;
    qint64 m_latestMs = 0;
    QHash<QString, Series> m_series;
    QStringList m_order; // first-seen order, for stable chart colours
    Series m_total;
};

} // namespace sb::models
