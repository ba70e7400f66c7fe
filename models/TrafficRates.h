#pragma once

#include "protocol/TrafficFrame.h"

#include <QHash>
#include <QList>
#include <QString>

namespace sb::models {

class SeriesHistory;

// Frames per second per replica and transport ("node-1 stomp"), and in total, as samples
// in a SeriesHistory the Traffic area's chart draws. count() tallies each batch;
// tick() (about once a second) turns the tallies into rates. GUI thread.
class TrafficRates
{
public:
    explicit TrafficRates(SeriesHistory *history);

    void count(const QList<protocol::TrafficFrame> &frames);
    void tick(qint64 nowMs);
    static QString seriesName(const protocol::TrafficFrame &frame);

private:
    SeriesHistory *m_history;
    QHash<QString, qint64> m_counts;
    qint64 m_total = 0;
    qint64 m_lastTickMs = -1;
};

} // namespace sb::models
