#pragma once

#include <QJsonObject>

namespace sb::ui {

// How many rows of each table a state carries. A snapshot (state.json, an incident report)
// takes up to kSnapshotTableRows; the session recording, sampled every 5 s for an hour,
// takes the first kRecordingTableRows as sorted on screen: its trends are in the figures,
// and thousands of partition rows per sample would cost the GUI thread a long pause every
// sample and the recording gigabytes.
inline constexpr int kSnapshotTableRows = 5000;
inline constexpr int kRecordingTableRows = 100;

// What a state is taken for. A snapshot (state.json, an incident report) carries all that
// the area shows, down to each Traffic row's rendered body and headers and the trace of the
// newest message. A recording sample (every 5 s for an hour) carries what a replay's tables
// show: the Traffic rows' columns only, since the recording's own "traffic" section keeps
// the frames whole; their bodies, headers and the trace are not rendered for it.
enum class SnapshotPurpose { Snapshot, RecordingSample };

// Implemented by an area's content widget: what the user sees right now, for state.json —
// "rows" (the visible rows, as displayed) and "figures" (the headline numbers), plus
// anything else the view wants an incident report to carry.
class SnapshotSource
{
public:
    virtual ~SnapshotSource() = default;
    // Every implementation uses the same default, so the call means the same either way.
    virtual QJsonObject snapshotState(
        int maxTableRows = kSnapshotTableRows, SnapshotPurpose purpose = SnapshotPurpose::Snapshot) const = 0;
};

} // namespace sb::ui
