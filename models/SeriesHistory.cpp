#include "models/SeriesHistory.h"

#include <QJsonArray>

#include <algorithm>
#include <limits>

namespace sb::models {

SeriesHistory::SeriesHistory(int capacity)
    : m_capacity(qMax(2, capacity))
{ }

const SeriesHistory::Sample &SeriesHistory::Series::at(qsizetype i, int capacity) const
{
    if (count < capacity)
        return ring[size_t(i)];
    return ring[size_t((head + i) % capacity)];
}

void SeriesHistory::push(Series &series, qint64 atMs, double value)
{
    if (m_originMs < 0)
        m_originMs = atMs;
    const qint64 ds
        = qBound(qint64(0), (atMs - m_originMs) / 100, qint64(std::numeric_limits<qint32>::max()));
    const Sample sample { qint32(ds), float(value) };
    if (series.count < m_capacity) {
        series.ring.push_back(sample);
        ++series.count;
    } else {
        series.ring[size_t(series.head)] = sample;
        series.head = (series.head + 1) % m_capacity;
    }
    m_latestMs = qMax(m_latestMs, atMs);
}

void SeriesHistory::append(const QString &series, qint64 atMs, double value)
{
    auto it = m_series.find(series);
    if (it == m_series.end()) {
        if (m_series.size() >= kMaxSeries)
            return;
        it = m_series.insert(series, Series {});
        m_order.append(series);
    }
    push(*it, atMs, value);
}

void SeriesHistory::appendTotal(qint64 atMs, double value)
{
    push(m_total, atMs, value);
}

void SeriesHistory::appendReplicaConnections(const sb::inspect::ReplicaSnapshot &snapshot)
{
    const qint64 at = snapshot.at.toMSecsSinceEpoch();
    qint64 total = 0;
    for (const auto &replica : snapshot.replicas) {
        const auto connections = replica.totalConnections();
        if (replica.isGone()) {
            append(replica.id, at, 0);
        } else if (connections) {
            append(replica.id, at, double(*connections));
            total += *connections;
        }
    }
    appendTotal(at, double(total));
}

qsizetype SeriesHistory::sampleCount(const QString &series) const
{
    const auto it = m_series.constFind(series);
    return it == m_series.cend() ? 0 : it->count;
}

void SeriesHistory::collect(
    const Series &series, qint64 fromMs, qint64 toMs, int maxPoints, QList<QPointF> *out) const
{
    out->clear();
    if (series.count == 0 || maxPoints <= 0 || m_originMs < 0)
        return;
    // Samples are in time order: binary-search the window's first sample.
    qsizetype lo = 0;
    qsizetype hi = series.count;
    const qint64 fromDs = (fromMs - m_originMs) / 100;
    while (lo < hi) {
        const qsizetype mid = (lo + hi) / 2;
        if (series.at(mid, m_capacity).deciseconds < fromDs)
            lo = mid + 1;
        else
            hi = mid;
    }
    const qint64 toDs = (toMs - m_originMs) / 100;
    qsizetype end = lo;
    while (end < series.count && series.at(end, m_capacity).deciseconds <= toDs)
        ++end;
    const qsizetype n = end - lo;
    if (n <= 0)
        return;
    const qsizetype step = (n + maxPoints - 1) / maxPoints;
    for (qsizetype i = lo; i < end; i += step) {
        const qsizetype bucketEnd = qMin(end, i + step);
        float peak = series.at(i, m_capacity).value;
        for (qsizetype j = i + 1; j < bucketEnd; ++j)
            peak = qMax(peak, series.at(j, m_capacity).value);
        const qint64 ms = m_originMs + qint64(series.at(bucketEnd - 1, m_capacity).deciseconds) * 100;
        out->append(QPointF(double(ms), double(peak)));
    }
}

void SeriesHistory::points(
    const QString &series, qint64 fromMs, qint64 toMs, int maxPoints, QList<QPointF> *out) const
{
    const auto it = m_series.constFind(series);
    if (it == m_series.cend()) {
        out->clear();
        return;
    }
    collect(*it, fromMs, toMs, maxPoints, out);
}

void SeriesHistory::totalPoints(qint64 fromMs, qint64 toMs, int maxPoints, QList<QPointF> *out) const
{
    collect(m_total, fromMs, toMs, maxPoints, out);
}

QJsonArray SeriesHistory::seriesJson(const Series &series, qint64 sinceMs) const
{
    QJsonArray array;
    for (qsizetype i = 0; i < series.count; ++i) {
        const Sample &s = series.at(i, m_capacity);
        const qint64 ms = m_originMs + qint64(s.deciseconds) * 100;
        if (ms >= sinceMs)
            array.append(QJsonArray { ms, double(s.value) });
    }
    return array;
}

QJsonObject SeriesHistory::toJson(qint64 sinceMs) const
{
    QJsonObject series;
    for (const QString &id : m_order) {
        const auto it = m_series.constFind(id);
        if (it != m_series.cend())
            series.insert(id, seriesJson(*it, sinceMs));
    }
    return QJsonObject { { QStringLiteral("format"), QStringLiteral("switchboard-series-history/1") },
        { QStringLiteral("total"), seriesJson(m_total, sinceMs) }, { QStringLiteral("series"), series } };
}

} // namespace sb::models
