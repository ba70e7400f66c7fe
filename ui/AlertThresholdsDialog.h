#pragma once

#include "models/AlertThresholds.h"

#include <QDialog>

class QDoubleSpinBox;
class QLabel;
class QSpinBox;

namespace sb::ui {

// Edits the alert thresholds of the attached cluster (a profile keeps them; the demo
// keeps its own). Refuses a set without its hysteresis band (clear above raise).
class AlertThresholdsDialog : public QDialog
{
    Q_OBJECT
public:
    AlertThresholdsDialog(
        const models::AlertThresholds &thresholds, const QString &owner, QWidget *parent = nullptr);

    models::AlertThresholds thresholds() const;
    void accept() override;

private:
    QSpinBox *spin(int value, int minimum, int maximum, const QString &suffix, const QString &name);
    QDoubleSpinBox *ratio(double value, const QString &name);

    QSpinBox *m_raiseAfter, *m_clearAfter, *m_drainGrace, *m_imbalanceMin, *m_latencyRaise, *m_latencyClear;
    QSpinBox *m_window, *m_deadLetters, *m_heartbeats, *m_slowConsumers, *m_tapDrops;
    QDoubleSpinBox *m_imbalanceRaise, *m_imbalanceClear;
    QLabel *m_problem;
};

} // namespace sb::ui
