#pragma once

#include "inspect/TapSourceStatus.h"

#include <QJsonArray>
#include <QJsonObject>

namespace sb::models {
class SeriesHistory;
class TrafficModel;
} // namespace sb::models

namespace sb::ui {

// The pieces of the Traffic area's `--snapshot` state (docs/operations.md, "Snapshot").

// What each Traffic row carries: its columns (time, replica, command, ...), and for a
// snapshot also its headers and its body rendered as the detail pane shows it (the costly
// part: a pretty-printed body per row).
enum class TrafficRowContent { ColumnsOnly, Rendered };

// The shown frames, decoded, newest last: at most maxRows of them.
QJsonArray trafficRowsJson(const models::TrafficModel &model, int maxRows, TrafficRowContent content);
QJsonArray tapSourcesJson(const QList<inspect::TapSourceStatus> &sources);
// captured, held, shown, dropped by the console and by the nodes, aged out, buffer use.
QJsonObject trafficCountsJson(const models::TrafficModel &model, qint64 droppedByConsole,
    const QList<inspect::TapSourceStatus> &sources);
// The latest frames-per-second sample of each replica and transport, and the total.
QJsonObject frameRatesJson(const models::SeriesHistory &rates);

} // namespace sb::ui
