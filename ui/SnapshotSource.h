#pragma once

#include <QJsonObject>

namespace sb::ui {

// Implemented by an area's content widget: what the user sees right now, for state.json —
// "rows" (the visible rows, as displayed) and "figures" (the headline numbers), plus
// anything else the view wants an incident report to carry.
class SnapshotSource
{
public:
    virtual ~SnapshotSource() = default;
    virtual QJsonObject snapshotState() const = 0;
};

} // namespace sb::ui
