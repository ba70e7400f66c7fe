#include "ui/AlertThresholdsDialog.h"

#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace sb::ui {

AlertThresholdsDialog::AlertThresholdsDialog(
    const models::AlertThresholds &t, const QString &owner, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("alertThresholdsDialog"));
    setWindowTitle(QStringLiteral("Alert thresholds: %1").arg(owner));
    const QString s = QStringLiteral(" s");
    m_raiseAfter = spin(t.raiseAfterSeconds, 0, 3600, s, QStringLiteral("raiseAfterSeconds"));
    m_clearAfter = spin(t.clearAfterSeconds, 0, 3600, s, QStringLiteral("clearAfterSeconds"));
    m_drainGrace = spin(t.drainGraceSeconds, 0, 86400, s, QStringLiteral("drainGraceSeconds"));
    m_imbalanceRaise = ratio(t.imbalanceRaise, QStringLiteral("imbalanceRaise"));
    m_imbalanceClear = ratio(t.imbalanceClear, QStringLiteral("imbalanceClear"));
    m_imbalanceMin
        = spin(t.imbalanceMinConnections, 0, 10000000, QString(), QStringLiteral("imbalanceMinConnections"));
    m_latencyRaise = spin(
        t.redisLatencyRaiseMs, 0, 600000, QStringLiteral(" ms"), QStringLiteral("redisLatencyRaiseMs"));
    m_latencyClear = spin(
        t.redisLatencyClearMs, 0, 600000, QStringLiteral(" ms"), QStringLiteral("redisLatencyClearMs"));
    m_window = spin(t.counterWindowSeconds, 1, 86400, s, QStringLiteral("counterWindowSeconds"));
    m_deadLetters = spin(t.deadLettersRaise, 1, 1000000000, QString(), QStringLiteral("deadLettersRaise"));
    m_heartbeats
        = spin(t.heartbeatTimeoutsRaise, 1, 1000000000, QString(), QStringLiteral("heartbeatTimeoutsRaise"));
    m_slowConsumers
        = spin(t.slowConsumerDropsRaise, 1, 1000000000, QString(), QStringLiteral("slowConsumerDropsRaise"));
    m_tapDrops = spin(t.tapDropsRaise, 1, 1000000000, QString(), QStringLiteral("tapDropsRaise"));

    auto *form = new QFormLayout;
    form->addRow(QStringLiteral("Raise after the condition held"), m_raiseAfter);
    form->addRow(QStringLiteral("Clear after the clear condition held"), m_clearAfter);
    form->addRow(QStringLiteral("Drain longer than"), m_drainGrace);
    form->addRow(QStringLiteral("Connection imbalance (max/mean) raise above"), m_imbalanceRaise);
    form->addRow(QStringLiteral("… clear at or below"), m_imbalanceClear);
    form->addRow(QStringLiteral("… only with connections in all at least"), m_imbalanceMin);
    form->addRow(QStringLiteral("Redis latency raise above"), m_latencyRaise);
    form->addRow(QStringLiteral("… clear at or below"), m_latencyClear);
    form->addRow(QStringLiteral("Counters: growth within"), m_window);
    form->addRow(QStringLiteral("… dead-lettered records at least"), m_deadLetters);
    form->addRow(QStringLiteral("… heart-beat timeouts per replica at least"), m_heartbeats);
    form->addRow(QStringLiteral("… slow consumers dropped per replica at least"), m_slowConsumers);
    form->addRow(QStringLiteral("… tap frames dropped at least"), m_tapDrops);

    m_problem = new QLabel(this);
    m_problem->setObjectName(QStringLiteral("alertThresholdsProblem"));
    m_problem->setStyleSheet(QStringLiteral("color: #c62828"));
    m_problem->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(
        QDialogButtonBox::Ok | QDialogButtonBox::Cancel | QDialogButtonBox::RestoreDefaults, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(buttons->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this, [this] {
        const QJsonObject defaults = models::AlertThresholds {}.toJson(); // keyed by the boxes' names
        for (auto *box : findChildren<QSpinBox *>())
            box->setValue(defaults.value(box->objectName()).toInt(box->value()));
        for (auto *box : findChildren<QDoubleSpinBox *>())
            box->setValue(defaults.value(box->objectName()).toDouble(box->value()));
    });
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(buttons);
}

QSpinBox *AlertThresholdsDialog::spin(
    int value, int minimum, int maximum, const QString &suffix, const QString &name)
{
    auto *box = new QSpinBox(this);
    box->setObjectName(name); // the JSON key: tests and Restore Defaults find it by name
    box->setRange(minimum, maximum);
    box->setSuffix(suffix);
    box->setValue(value);
    return box;
}

QDoubleSpinBox *AlertThresholdsDialog::ratio(double value, const QString &name)
{
    auto *box = new QDoubleSpinBox(this);
    box->setObjectName(name);
    box->setRange(1.0, 100.0);
    box->setSingleStep(0.1);
    box->setDecimals(2);
    box->setValue(value);
    return box;
}

models::AlertThresholds AlertThresholdsDialog::thresholds() const
{
    models::AlertThresholds t;
    t.raiseAfterSeconds = m_raiseAfter->value();
    t.clearAfterSeconds = m_clearAfter->value();
    t.drainGraceSeconds = m_drainGrace->value();
    t.imbalanceRaise = m_imbalanceRaise->value();
    t.imbalanceClear = m_imbalanceClear->value();
    t.imbalanceMinConnections = m_imbalanceMin->value();
    t.redisLatencyRaiseMs = m_latencyRaise->value();
    t.redisLatencyClearMs = m_latencyClear->value();
    t.counterWindowSeconds = m_window->value();
    t.deadLettersRaise = m_deadLetters->value();
    t.heartbeatTimeoutsRaise = m_heartbeats->value();
    t.slowConsumerDropsRaise = m_slowConsumers->value();
    t.tapDropsRaise = m_tapDrops->value();
    return t;
}

void AlertThresholdsDialog::accept()
{
    const QString problem = thresholds().validationError();
    m_problem->setText(problem);
    if (problem.isEmpty())
        QDialog::accept();
}

} // namespace sb::ui
