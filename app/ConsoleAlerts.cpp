#include "app/ConsoleAlerts.h"

#include "app/KafkaAreaAssembly.h"
#include "app/ReplicasAreaAssembly.h"
#include "app/TrafficAreaAssembly.h"
#include "models/AlertObservationsBuilder.h"
#include "models/ProfileStore.h"
#include "ui/AlertNotifier.h"
#include "ui/AlertThresholdsDialog.h"
#include "ui/AlertsPanel.h"
#include "ui/TrafficView.h"

#include <QCheckBox>
#include <QDateTime>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QMessageBox>
#include <QSettings>

namespace sb::app {

Q_LOGGING_CATEGORY(lcAlerts, "sb.console.alerts")

namespace {
const QString kDemoThresholdsKey = QStringLiteral("alerts/demoThresholds");
const QString kNotifyKey = QStringLiteral("alerts/desktopNotifications");
} // namespace

ConsoleAlerts::ConsoleAlerts(
    models::AttachmentState *attachment, models::ProfileStore *profiles, QObject *parent)
    : QObject(parent)
    , m_attachment(attachment)
    , m_profiles(profiles)
    , m_engine(demoThresholds())
{
    m_notifier = new ui::AlertNotifier(&m_model, this);
    m_timer.setInterval(kIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &ConsoleAlerts::evaluateNow);
}

ConsoleAlerts::~ConsoleAlerts() = default;

void ConsoleAlerts::watch(
    ReplicasAreaAssembly *replicas, KafkaAreaAssembly *kafka, TrafficAreaAssembly *traffic)
{
    m_replicas = replicas;
    m_kafka = kafka;
    m_traffic = traffic;
}

void ConsoleAlerts::restart(const QString &profileName, const models::AlertThresholds &thresholds)
{
    m_profileName = profileName;
    m_engine = models::AlertEngine(thresholds);
    m_model.clear();
}

void ConsoleAlerts::stopForReplay()
{
    m_replaying = true;
    m_timer.stop();
    m_engine = models::AlertEngine(m_engine.thresholds());
    m_model.clear();
}

void ConsoleAlerts::attachPanel(ui::AlertsPanel *panel)
{
    // Off by default; on again next time only where a tray exists to show it.
    panel->notifyBox()->setChecked(m_notifier->setEnabled(QSettings().value(kNotifyKey, false).toBool()));
    connect(panel, &ui::AlertsPanel::notifyToggled, this,
        [this](bool on) { QSettings().setValue(kNotifyKey, m_notifier->setEnabled(on)); });
    connect(panel, &ui::AlertsPanel::thresholdsRequested, this, [this, panel] { editThresholds(panel); });
}

models::AlertThresholds ConsoleAlerts::demoThresholds()
{
    return models::AlertThresholds::fromJson(
        QJsonDocument::fromJson(QSettings().value(kDemoThresholdsKey).toString().toUtf8()).object());
}

bool ConsoleAlerts::saveThresholds(const models::AlertThresholds &thresholds, QString *error)
{
    m_engine.setThresholds(thresholds);
    if (m_profileName.isEmpty()) {
        QSettings().setValue(kDemoThresholdsKey,
            QString::fromUtf8(QJsonDocument(thresholds.toJson()).toJson(QJsonDocument::Compact)));
        return true;
    }
    auto profile = m_profiles->load(m_profileName);
    if (!profile) {
        *error = QStringLiteral(
            "the profile '%1' no longer exists; the thresholds apply until the console closes")
                     .arg(m_profileName);
        return false;
    }
    profile->alerts = thresholds;
    return m_profiles->save(*profile, error);
}

void ConsoleAlerts::editThresholds(ui::AlertsPanel *panel)
{
    const QString owner = m_profileName.isEmpty() ? QStringLiteral("embedded demo cluster")
                                                  : QStringLiteral("profile %1").arg(m_profileName);
    auto *dialog = new ui::AlertThresholdsDialog(m_engine.thresholds(), owner, panel);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, panel] {
        QString error;
        if (!saveThresholds(dialog->thresholds(), &error))
            QMessageBox::warning(panel, QStringLiteral("Thresholds not saved"), error);
    });
    dialog->open();
}

models::AlertObservations ConsoleAlerts::observe() const
{
    models::AlertObservations o;
    // An area that has not answered yet says nothing: a replica model with no poll is empty.
    if (m_replicas && m_replicas->model())
        models::AlertObservationsBuilder::addReplicas(&o, *m_replicas->model());
    if (m_kafka && m_kafka->groups() && m_kafka->topics())
        models::AlertObservationsBuilder::addKafka(&o, *m_kafka->groups(), *m_kafka->topics());
    if (m_attachment)
        models::AlertObservationsBuilder::addRedis(
            &o, m_attachment->health(models::AttachmentState::Service::Redis));
    if (m_traffic && m_traffic->view())
        models::AlertObservationsBuilder::addTap(
            &o, m_traffic->view()->sources(), m_traffic->droppedByConsole());
    return o;
}

void ConsoleAlerts::evaluateNow()
{
    if (m_replaying)
        return;
    const QList<models::AlertTransition> transitions
        = m_engine.evaluate(observe(), QDateTime::currentDateTimeUtc());
    for (const models::AlertTransition &t : transitions) {
        const models::Alert &a = t.alert;
        const char *kind = t.kind == models::AlertTransition::Kind::Cleared ? "cleared"
            : t.kind == models::AlertTransition::Kind::Escalated            ? "escalated"
                                                                            : "raised";
        qCInfo(lcAlerts).noquote() << kind << models::Alert::severityName(a.severity) << a.rule << a.subject
                                   << a.figure;
    }
    m_model.apply(m_engine.active(), m_engine.recent(), transitions, m_engine.thresholds().toJson());
}

} // namespace sb::app
