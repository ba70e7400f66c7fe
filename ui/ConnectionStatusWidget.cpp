#include "ui/ConnectionStatusWidget.h"

#include <QHBoxLayout>
#include <QLabel>

namespace sb::ui {

namespace {
QString colourFor(models::ConnectionHealth::State state)
{
    using State = models::ConnectionHealth::State;
    switch (state) {
    case State::Up:
        return QStringLiteral("#2e7d32");
    case State::Connecting:
        return QStringLiteral("#1565c0");
    case State::Degraded:
        return QStringLiteral("#ef6c00");
    case State::Down:
        return QStringLiteral("#c62828");
    case State::NotConfigured:
        break;
    }
    return QStringLiteral("#757575");
}
} // namespace

ConnectionStatusWidget::ConnectionStatusWidget(models::AttachmentState *state, QWidget *parent)
    : QWidget(parent)
    , m_state(state)
    , m_target(new QLabel(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 0, 4, 0);
    m_target->setObjectName(QStringLiteral("attachmentTarget"));
    layout->addWidget(m_target);
    for (auto service : models::AttachmentState::services()) {
        auto *label = new QLabel(this);
        label->setObjectName(
            models::AttachmentState::serviceName(service).toLower() + QStringLiteral("Health"));
        label->setTextFormat(Qt::RichText);
        m_indicators.insert(service, label);
        layout->addWidget(label);
        showHealth(service, state->health(service));
    }
    showTarget(state->target(), state->readOnly());
    connect(state, &models::AttachmentState::targetChanged, this, &ConnectionStatusWidget::showTarget);
    connect(state, &models::AttachmentState::healthChanged, this, &ConnectionStatusWidget::showHealth);
}

void ConnectionStatusWidget::showTarget(const QString &target, bool readOnly)
{
    m_target->setText(
        QStringLiteral("Attached to: ") + target + (readOnly ? QStringLiteral(" (read-only)") : QString()));
    m_target->setToolTip(QStringLiteral("Change with File → Profiles… or --profile NAME"));
}

void ConnectionStatusWidget::showHealth(
    models::AttachmentState::Service service, const models::ConnectionHealth &health)
{
    QLabel *label = m_indicators.value(service);
    if (!label)
        return;
    const QString name = models::AttachmentState::serviceName(service);
    const QString stateName = models::ConnectionHealth::stateName(health.state);
    label->setText(QStringLiteral("<span style='color:%1'>●</span> %2: %3")
                       .arg(colourFor(health.state), name.toHtmlEscaped(), stateName));
    label->setToolTip(health.detail.isEmpty() ? name + QStringLiteral(" is ") + stateName : health.detail);
}

} // namespace sb::ui
