#include "app/ConsoleController.h"

#include "ui/AreaView.h"
#include "ui/MainWindow.h"
#include "ui/ProfilesDialog.h"

#include <QDateTime>
#include <QTextStream>

#include <cstdio>

namespace sb::app {

namespace {
using Service = models::AttachmentState::Service;
using State = models::ConnectionHealth::State;
constexpr int kRecordIntervalMs = 5000;
} // namespace

ConsoleController::ConsoleController(const ConsoleOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
{
    m_recordTimer.setInterval(kRecordIntervalMs);
    connect(&m_recordTimer, &QTimer::timeout, this, &ConsoleController::recordSample);
}

ConsoleController::~ConsoleController() = default;

bool ConsoleController::start(QString *error)
{
    m_window = std::make_unique<ui::MainWindow>(&m_attachment, &m_recording);
    connect(m_window.get(), &ui::MainWindow::profilesRequested, this, &ConsoleController::showProfiles);
    if (m_options.profile.isEmpty())
        attachDemoCluster();
    else if (!attachProfile(m_options.profile, error))
        return false;

    m_window->show();
    m_recordTimer.start();
    if (!m_options.snapshotDirectory.isEmpty())
        QTimer::singleShot(m_options.snapshotAfterSeconds * 1000, this,
                           &ConsoleController::takeScheduledSnapshot);
    return true;
}

void ConsoleController::attachDemoCluster()
{
    m_attachment.setTarget(QStringLiteral("embedded demo cluster"), false);
    const QString why = QStringLiteral(
        "This build does not yet start the embedded demo cluster; attach a profile "
        "(File → Profiles…) to a cluster you run.");
    for (Service service : models::AttachmentState::services())
        m_attachment.setHealth(service, {State::NotConfigured, why});
    for (const QString &key : m_window->areaKeys())
        m_window->area(key)->setEmptyDetail(why);
}

bool ConsoleController::attachProfile(const QString &name, QString *error)
{
    const auto profile = m_profiles.load(name);
    if (!profile) {
        const QStringList known = m_profiles.names();
        *error = QStringLiteral("unknown profile '%1' (saved profiles: %2)")
                     .arg(name, known.isEmpty() ? QStringLiteral("none") : known.join(QStringLiteral(", ")));
        return false;
    }
    m_attachment.setTarget(QStringLiteral("profile %1").arg(profile->name), profile->readOnly);
    auto describe = [](const QString &what, const QString &where) -> models::ConnectionHealth {
        if (where.isEmpty())
            return {State::NotConfigured, QStringLiteral("The profile names no %1.").arg(what)};
        return {State::NotConfigured,
                QStringLiteral("%1 at %2 is configured; this build does not inspect it yet.").arg(what, where)};
    };
    m_attachment.setHealth(Service::Redis, describe(QStringLiteral("Redis"), profile->redisUrl));
    m_attachment.setHealth(Service::Kafka, describe(QStringLiteral("Kafka"), profile->kafkaBootstrap));
    const QStringList replicaSources = profile->prometheusEndpoints + profile->adminStatsUrls;
    m_attachment.setHealth(Service::Replicas,
                           describe(QStringLiteral("replica endpoint"), replicaSources.join(QStringLiteral(", "))));
    m_attachment.setHealth(Service::Traffic, describe(QStringLiteral("tap endpoint"), profile->adminStatsUrls.join(QStringLiteral(", "))));
    return true;
}

void ConsoleController::showProfiles()
{
    auto *dialog = new ui::ProfilesDialog(&m_profiles, m_window.get());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ui::ProfilesDialog::attachRequested, this, [this](const QString &name) {
        QString error;
        if (!attachProfile(name, &error))
            m_attachment.setTarget(error, false);
    });
    dialog->open();
}

void ConsoleController::recordSample()
{
    m_recording.append(QDateTime::currentDateTimeUtc(), m_window->snapshotState());
}

void ConsoleController::takeScheduledSnapshot()
{
    QString error;
    if (!m_window->writeSnapshot(m_options.snapshotDirectory, &error)) {
        std::fprintf(stderr, "switchboard: snapshot failed: %s\n", qPrintable(error));
        emit finished(1);
        return;
    }
    emit finished(0);
}

} // namespace sb::app
