#pragma once

#include "models/RecordingStore.h"
#include "protocol/TrafficFrame.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace sb::models {

class SeriesHistory;

// A saved recording read back for replay (File → Open Recording, --open-recording): which
// sample holds at a moment, what the recording is of, and the series its charts draw. A
// sample is the views' state as recorded (each table's rows as displayed, keyed by column,
// and the headline figures), so replay shows what the operator saw, not a recomputation.
// Pure: no widgets, no clock.
class RecordingReplay
{
public:
    explicit RecordingReplay(RecordingStore recording);

    const RecordingStore &recording() const { return m_recording; }
    int sampleCount() const { return int(m_recording.samples().size()); }
    QDateTime firstAt() const { return m_recording.firstAt(); }
    QDateTime lastAt() const { return m_recording.lastAt(); }
    QDateTime sampleTime(int index) const { return m_recording.samples().at(index).at; }
    const QJsonObject &sampleState(int index) const { return m_recording.samples().at(index).state; }
    // The last sample at or before `at` (the views as they were then); the first sample for
    // a time before it; -1 when the recording is empty.
    int sampleIndexAt(const QDateTime &at) const;
    // What it recorded ("embedded demo cluster", a profile's name), from the samples'
    // attachment; "an unnamed cluster" when no sample says.
    QString target() const;

    // The Replicas chart: connections per replica and in total, one point per sample
    // (from each sample's replicas.replicaStates; a down replica counts 0).
    void fillReplicaConnections(SeriesHistory *history) const;
    // The Kafka chart: lag per consumer group, one point per sample (kafka.groups' "Lag").
    void fillGroupLag(SeriesHistory *history) const;
    // The Redis Sessions chart: "sessions" and "tokens", one point each per sample that
    // counted them (redis.figures).
    void fillSessionCounts(SeriesHistory *history) const;
    // The Traffic area's Rates chart: frames per second per replica and transport and in
    // total, one point each per sample (traffic.framesPerSecond, as the live chart's latest).
    void fillFrameRates(SeriesHistory *history) const;

    // The frames the file's traffic section holds (ConsoleTrafficRecording: the Traffic
    // area's frames over the recording's window), in time order; empty when it has none
    // (a recording saved before it had one, or nothing captured). Decoded at each call.
    QList<protocol::TrafficFrame> recordedFrames() const;
    bool hasRecordedTraffic() const;
    // Frames of the window the save left out (beyond the newest it kept).
    qint64 omittedFrames() const;

    // --at TIME: an ISO 8601 date-time ("2026-12-05T23:07:12Z"; no zone: local time), a
    // time of day on the recording's first day ("23:07:12", local time), or seconds from
    // its start ("+90"). nullopt with *error for anything else or a time outside it.
    std::optional<QDateTime> parseAt(const QString &text, QString *error) const;

private:
    QJsonObject trafficSection() const;

    RecordingStore m_recording;
};

} // namespace sb::models
