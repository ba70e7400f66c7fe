#pragma once

#include "ui/SnapshotSource.h"

#include <QJsonArray>

class QTableView;

namespace sb::ui {

// The rows of a table as the user sees them — in the view's sort order, only the columns
// not hidden, each cell's displayed text keyed by its header — for state.json. At most
// maxRows rows (a snapshot of a 10,000-partition table stays a readable size).
QJsonArray tableRows(const QTableView *table, int maxRows = kSnapshotTableRows);
// The headers of those cells in the order the user sees them (rows are objects, whose keys
// JSON does not order): what a replay lays its columns out by.
QJsonArray tableColumns(const QTableView *table);

} // namespace sb::ui
