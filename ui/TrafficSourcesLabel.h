#pragma once

#include "inspect/TapSourceStatus.h"

#include <QLabel>

namespace sb::ui {

// One line naming every traffic source with a coloured dot for its state and what its node
// dropped for it ("● node-1 live ● node-2 down"); the tooltip holds each one's detail.
class TrafficSourcesLabel : public QLabel
{
    Q_OBJECT
public:
    explicit TrafficSourcesLabel(QWidget *parent = nullptr);
    void setSources(const QList<inspect::TapSourceStatus> &sources);
};

} // namespace sb::ui
