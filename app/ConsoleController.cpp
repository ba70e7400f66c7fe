#include "app/ConsoleController.h"

#include "app/CommandLineOutcome.h"
#include "app/ConsoleAlerts.h"
#include "app/ConsoleDemoScript.h"
#include "app/ConsoleDevClusterFaults.h"
#include "app/ConsoleRememberedReplicas.h"
#include "app/ConsoleReplicaFanOut.h"
#include "app/ConsoleSnapshotSchedule.h"
#include "app/ConsoleSnapshotSettling.h"
#include "app/DemoPopulation.h"
#include "app/DemoUsers.h"
#include "app/DemoUsersFile.h"
#include "app/DevCluster.h"
#include "app/FaultActions.h"
#include "app/FaultEventLog.h"
#include "app/KafkaAreaAssembly.h"
#include "app/RedisAreaAssembly.h"
#include "app/ReplicasAreaAssembly.h"
#include "app/TrafficAreaAssembly.h"
#include "cluster/RedisUrl.h"
#include "inspect/KafkaConnectionCheck.h"
#include "inspect/KafkaInspectorConfig.h"
#include "inspect/RedisConnectionCheck.h"
#include "inspect/ReplicaDiscoveryConfig.h"
#include "inspect/ReplicaEndpointCheck.h"
#include "models/KafkaGroupModel.h"
#include "models/RecordingReplay.h"
#include "models/ReplicaModel.h"
#include "ui/AreaView.h"
#include "ui/FaultsPanel.h"
#include "ui/MainWindow.h"
#include "ui/ProfilePasswordDialog.h"
#include "ui/ProfilesDialog.h"
#include "ui/ReplayWindow.h"
#include "ui/ReplicasView.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QTextStream>

#include <algorithm>
#include <type_traits>

#include <cstdio>

namespace sb::app {

namespace {
using Service = models::AttachmentState::Service;
using State = models::ConnectionHealth::State;
constexpr int kRecordIntervalMs = 5000;
constexpr int kRedisCheckTimeoutMs = 5000;
const QString kRedisPasswordVariable = QStringLiteral("SB_REDIS_PASSWORD");
const QString kAdminPasswordVariable = QStringLiteral("SB_ADMIN_PASSWORD");
} // namespace

ConsoleController::ConsoleController(const ConsoleOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
{
    m_recordTimer.setInterval(kRecordIntervalMs);
    connect(&m_recordTimer, &QTimer::timeout, this, &ConsoleController::recordSample);
}

ConsoleController::~ConsoleController()
{
    // Demo clients and views first (their workers read the cluster), then the cluster's children.
    m_clusterFaults.reset(); // drops its requests in flight: no answer reaches the panel after this
    m_demoScript.reset(); // the faults act on the population and the cluster: they go first
    m_faults.reset();
    m_demoPopulation.reset();
    m_trafficArea.reset();
    m_kafkaArea.reset();
    m_replicasArea.reset();
    m_redisArea.reset();
    m_demo.reset();
}

bool ConsoleController::start(QString *error)
{
    m_window = std::make_unique<ui::MainWindow>(&m_attachment, &m_recording);
    m_window->setRecordingExtras(
        [this](const QDateTime &from, const QDateTime &to) -> models::RecordingSaveJob::ExtrasBuilder {
            if (!m_trafficArea)
                return {};
            // The frames copied here (shared, milliseconds), their JSON built where the save runs.
            return [frames = m_trafficArea->recordingFrames(from, to)] { return frames.toJson(); };
        });
    connect(m_window.get(), &ui::MainWindow::profilesRequested, this, &ConsoleController::showProfiles);
    m_faultLog = std::make_unique<FaultEventLog>();
    connect(m_faultLog.get(), &FaultEventLog::finished, this, [this] {
        m_lastEffectEndedAt = QDateTime::currentDateTimeUtc();
        m_aftermathReadAt = {};
    });
    m_window->setSnapshotExtras([this] {
        QJsonObject extras { { QStringLiteral("events"), m_faultLog->toJson() } };
        if (m_demoPopulation)
            extras.insert(QStringLiteral("population"), m_demoPopulation->stats().toJson());
        const QJsonObject settled = m_snapshot ? m_snapshot->settledJson() : QJsonObject();
        for (auto it = settled.begin(); it != settled.end(); ++it)
            extras.insert(it.key(), it.value());
        return extras;
    });
    m_faultsPanel = m_window->setFaults(m_faultLog.get());
    connect(m_faultsPanel, &ui::FaultsPanel::faultRequested, this, &ConsoleController::injectFault);
    m_alerts = std::make_unique<ConsoleAlerts>(&m_attachment, &m_profiles);
    m_alerts->attachPanel(m_window->setAlerts(m_alerts->model()));
    m_alerts->start();
    if (!m_options.recordingPath.isEmpty()) {
        openRecording();
        return true;
    }
    m_snapshot = std::make_unique<ConsoleSnapshotSchedule>(m_options.snapshotDirectory,
        m_options.snapshotAfterSeconds, m_options.snapshotWhenSettled, [this] { return settlingNow(); });
    connect(m_snapshot.get(), &ConsoleSnapshotSchedule::finished, this, &ConsoleController::finished);
    if (m_options.profile.isEmpty())
        attachDemoCluster();
    else if (!attachProfile(m_options.profile, error))
        return false;

    if (m_options.windowSize.isValid())
        m_window->useDefaultLayoutAt(m_options.windowSize);
    m_window->show();
    m_recordTimer.start();
    ConsoleSnapshotSchedule::Writers writers;
    writers.snapshot
        = [this](const QString &directory, QString *why) { return m_window->writeSnapshot(directory, why); };
    if (!m_options.saveRecordingPath.isEmpty())
        writers.recording = [this](ConsoleSnapshotSchedule::Writers::RecordingDone done) {
            saveRecording(std::move(done));
        };
    m_snapshot->start(std::move(writers));
    return true;
}

void ConsoleController::openRecording()
{
    // Nothing live, from now: before the services read as down below, no live rule may raise
    // an alert on them.
    m_alerts->stopForReplay();
    m_attachment.setTarget(QStringLiteral("nothing (replaying %1)").arg(m_options.recordingPath), true);
    for (Service service : models::AttachmentState::services())
        m_attachment.setHealth(
            service, { State::Down, QStringLiteral("a recording is replayed: nothing live attached") });
    // Read, parsed and decoded on a pool thread, as File → Open Recording does (one path): an
    // hour's recording is seconds of work the event loop keeps turning through.
    m_openJob = std::make_unique<models::RecordingOpenJob>(m_options.recordingPath);
    connect(m_openJob.get(), &models::RecordingOpenJob::finished, this, &ConsoleController::showRecording);
    m_openJob->start();
}

void ConsoleController::showRecording(
    const std::shared_ptr<models::RecordingOpenJob::Opened> &opened, const QString &error)
{
    // With --snapshot the replay is all there is to draw: a bad file or --at ends the run as a
    // usage error (exit 2, one line), not a dialog.
    if (!opened)
        return endWithUsageError(QStringLiteral("--open-recording: %1").arg(error));
    QDateTime at = opened->replay.firstAt();
    if (!m_options.recordingAt.isEmpty()) {
        QString why;
        const auto parsed = opened->replay.parseAt(m_options.recordingAt, &why);
        if (!parsed)
            return endWithUsageError(QStringLiteral("--at: %1").arg(why));
        at = *parsed;
    } else if (opened->replay.sampleCount() == 0) {
        return endWithUsageError(
            QStringLiteral("--open-recording: %1 holds no samples").arg(m_options.recordingPath));
    }
    m_replay = std::make_unique<ui::ReplayWindow>(opened, m_options.recordingPath);
    m_replay->showAt(at);
    if (m_options.windowSize.isValid())
        m_replay->resize(m_options.windowSize);
    m_replay->show();
    // A replay does not move: its snapshot is taken at --snapshot-after, settled or not.
    m_snapshot = std::make_unique<ConsoleSnapshotSchedule>(m_options.snapshotDirectory,
        m_options.snapshotAfterSeconds, false, std::function<ConsoleSnapshotSettling()>());
    connect(m_snapshot.get(), &ConsoleSnapshotSchedule::finished, this, &ConsoleController::finished);
    m_snapshot->start({ [this](const QString &directory, QString *failure) {
                           return m_replay->writeSnapshot(directory, failure);
                       },
        {} });
}

void ConsoleController::endWithUsageError(const QString &message)
{
    emit finished(CommandLineOutcome::usageError(message).finish());
}

void ConsoleController::attachDemoCluster()
{
    m_attachment.setTarget(QStringLiteral("embedded demo cluster"), false);
    const QString starting = QStringLiteral("Starting the embedded demo cluster…");
    for (Service service : models::AttachmentState::services())
        m_attachment.setHealth(service, { State::Connecting, starting });
    for (const QString &key : m_window->areaKeys())
        m_window->area(key)->setEmptyDetail(starting);

    // The simulated users' accounts first, in a users file the replicas read as in production
    // (hashing them takes most of a second: DemoUsersFile does it on a pool thread).
    m_demoUsers = DemoUsers::generate(m_options.demoPopulation);
    m_demoUsersFile = std::make_unique<DemoUsersFile>();
    connect(m_demoUsersFile.get(), &DemoUsersFile::written, this, &ConsoleController::startDemoCluster);
    connect(m_demoUsersFile.get(), &DemoUsersFile::failed, this, [this](const QString &why) {
        qWarning("demo population off: %s", qPrintable(why));
        m_demoUsers.clear();
        startDemoCluster(QString());
    });
    m_demoUsersFile->write(m_demoUsers, DemoUsers::kPasswordIterations);
}

void ConsoleController::startDemoCluster(const QString &usersFile)
{
    // The devcluster assembly, in this process: the mock Kafka here, redis-server and the
    // three nodes as children that die with us. Everything is asynchronous.
    DevClusterOptions options;
    options.usersFile = usersFile;
    m_demo = std::make_unique<DevCluster>(options, QCoreApplication::applicationFilePath());
    // Fault injection on the demo (the Faults panel, --demo-script), once it is ready.
    m_faults = std::make_unique<FaultActions>(m_demo.get(), m_faultLog.get());
    if (!m_options.demoScript.isEmpty())
        m_demoScript = std::make_unique<ConsoleDemoScript>(m_options.demoScript, m_faults.get());
    connect(m_demo.get(), &DevCluster::progress, this, [this](const QString &step) {
        for (Service service : { Service::Replicas, Service::Redis, Service::Kafka })
            m_attachment.setHealth(service, { State::Connecting, step });
        for (const QString &key : m_window->areaKeys())
            m_window->area(key)->setEmptyDetail(
                QStringLiteral("Starting the embedded demo cluster: ") + step);
    });
    connect(m_demo.get(), &DevCluster::failed, this, [this](const QString &part, const QString &reason) {
        const QString why
            = QStringLiteral("The embedded demo cluster could not start (%1): %2").arg(part, reason);
        for (Service service : models::AttachmentState::services())
            m_attachment.setHealth(service, { State::Down, why });
        for (const QString &key : m_window->areaKeys())
            m_window->area(key)->setEmptyDetail(why);
        m_demo->stop(2000);
    });
    connect(m_demo.get(), &DevCluster::ready, this, &ConsoleController::attachDemoViews);
    m_demo->start();
}

void ConsoleController::attachDemoViews(const QJsonObject &endpoints)
{
    const cluster::RedisUrl redis
        = cluster::RedisUrl::parse(endpoints.value(QStringLiteral("redis")).toString());
    m_redisArea = std::make_unique<RedisAreaAssembly>(
        m_window->area(QStringLiteral("redis")), redis, false, &m_attachment);
    m_redisArea->start();
    inspect::ReplicaDiscoveryConfig replicas;
    replicas.redis = redis;
    m_replicasArea = std::make_unique<ReplicasAreaAssembly>(
        m_window->area(QStringLiteral("replicas")), replicas, &m_attachment);
    m_replicasArea->start();
    connect(m_replicasArea.get(), &ReplicasAreaAssembly::snapshotApplied, m_snapshot.get(),
        &ConsoleSnapshotSchedule::replicasPolled);
    // The demo's nodes run with --demo-users: admin/admin may read every replica's tap.
    m_trafficArea = std::make_unique<TrafficAreaAssembly>(m_window->area(QStringLiteral("traffic")),
        inspect::TapCredentials { {}, QStringLiteral("admin"), QStringLiteral("admin") },
        QStringLiteral("embedded demo cluster"), &m_attachment);
    m_trafficArea->start();
    inspect::KafkaInspectorConfig kafka;
    kafka.settings.setBootstrapServers(endpoints.value(QStringLiteral("kafka")).toString().toUtf8());
    m_trafficArea->setClusterSources(
        redis, kafka.settings, endpoints.value(QStringLiteral("topicPrefix")).toString());
    attachKafka(kafka);
    new ConsoleReplicaFanOut(
        m_replicasArea.get(), m_kafkaArea.get(), m_trafficArea.get()); // the Replicas area owns it
    // Simulated users on their own thread, so the demo shows a cluster at work, not an idle one.
    m_demoPopulation = std::make_unique<DemoPopulation>(m_options.demoPopulation, m_demoUsers);
    m_demoPopulation->start(DemoPopulation::replicasFrom(endpoints));
    m_faults->setLoadControl(demoLoad());
    // pause-stage1/resume-stage1 also watch what the Kafka area says of the group (Burrow).
    m_faults->setGroupStatusSource([this](const QByteArray &group) -> FaultStage1Action::GroupStatus {
        const models::KafkaGroupModel *groups = m_kafkaArea ? m_kafkaArea->groups() : nullptr;
        for (int row = 0; groups && row < groups->rowCount(); ++row)
            if (groups->group(row).id == QString::fromUtf8(group))
                return { inspect::burrowStatusName(groups->group(row).verdict.status),
                    groups->group(row).verdict.reason };
        return {};
    });
    if (m_demoScript)
        m_demoScript->start(); // its times count from here: the cluster is ready
    m_faultsPanel->setReplicas(m_demo->nodeIds());
    m_faultsPanel->setAvailable(true, QStringLiteral("Faults act on the embedded demo cluster."));
    m_alerts->restart({}, ConsoleAlerts::demoThresholds());
    m_alerts->watch(m_replicasArea.get(), m_kafkaArea.get(), m_trafficArea.get());
}

void ConsoleController::injectFault(const QString &action, const QJsonObject &args)
{
    if (m_clusterFaults)
        return m_clusterFaults->request(action, args);
    QString error;
    const auto request = protocol::FaultRequest::parse(action, args, &error);
    if (!request || !m_faults)
        return m_faultsPanel->showOutcome(
            false, request ? QStringLiteral("no demo cluster to act on") : error);
    const FaultActions::Outcome outcome = m_faults->perform(*request);
    m_faultsPanel->showOutcome(outcome.ok, outcome.message);
}

DemoLoadControl *ConsoleController::demoLoad() const
{
    return m_demoPopulation.get();
}

bool ConsoleController::attachProfile(const QString &name, QString *error)
{
    auto profile = m_profiles.load(name);
    if (!profile) {
        const QStringList known = m_profiles.names();
        *error = QStringLiteral("unknown profile '%1' (saved profiles: %2)")
                     .arg(name, known.isEmpty() ? QStringLiteral("none") : known.join(QStringLiteral(", ")));
        return false;
    }
    takePasswordsFromEnvironment(&*profile);
    // A snapshot run cannot ask (main() refused it already when a password is missing).
    if (profile->missingPasswords().isEmpty() || !m_options.snapshotDirectory.isEmpty())
        attach(*profile);
    else
        askPasswords(*profile);
    return true;
}

void ConsoleController::takePasswordsFromEnvironment(models::Profile *profile)
{
    const QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    const QStringList missing = profile->missingPasswords();
    if (missing.contains(QStringLiteral("redis")))
        profile->redisPassword = environment.value(kRedisPasswordVariable);
    if (missing.contains(QStringLiteral("admin")))
        profile->adminPassword = environment.value(kAdminPasswordVariable);
}

QString ConsoleController::missingPasswordHelp(const models::Profile &profile)
{
    QStringList lines;
    const QStringList missing = profile.missingPasswords();
    if (missing.contains(QStringLiteral("redis")))
        lines << QStringLiteral("its Redis user '%1' has no password: set %2")
                     .arg(profile.redisUser(), kRedisPasswordVariable);
    if (missing.contains(QStringLiteral("admin")))
        lines << QStringLiteral("its admin user '%1' has no password: set %2")
                     .arg(profile.adminUser, kAdminPasswordVariable);
    if (lines.isEmpty())
        return {};
    return QStringLiteral(
        "profile '%1': %2 (or save it with \"Remember\" in File → Profiles…); --snapshot cannot ask for it")
        .arg(profile.name, lines.join(QStringLiteral("; ")));
}

void ConsoleController::askPasswords(const models::Profile &profile)
{
    const QStringList missing = profile.missingPasswords();
    auto *prompt = new ui::ProfilePasswordDialog(profile.name,
        missing.contains(QStringLiteral("redis")) ? profile.redisUser() : QString(),
        missing.contains(QStringLiteral("admin")) ? profile.adminUser : QString(), m_window.get());
    prompt->setAttribute(Qt::WA_DeleteOnClose);
    // Cancelled, the profile is attached as it is: each area then says which password it lacks.
    connect(prompt, &QDialog::finished, this, [this, prompt, profile](int result) {
        models::Profile given = profile;
        if (result == QDialog::Accepted) {
            given.redisPassword
                = given.redisPassword.isEmpty() ? prompt->redisPassword() : given.redisPassword;
            given.adminPassword
                = given.adminPassword.isEmpty() ? prompt->adminPassword() : given.adminPassword;
        }
        attach(given);
    });
    // Window-modal and asynchronous, once the window is up: nothing waits in a nested loop.
    QTimer::singleShot(0, prompt, &QDialog::open);
}

void ConsoleController::attach(const models::Profile &loaded)
{
    const models::Profile *profile = &loaded;
    // Leaving the demo (or the previous profile): its clients, views and cluster go first.
    m_clusterFaults.reset(); // the previous profile's devcluster: its late answers go nowhere
    m_demoScript.reset();
    m_faults.reset();
    m_demoPopulation.reset();
    m_trafficArea.reset();
    m_kafkaArea.reset();
    m_replicasArea.reset();
    m_redisArea.reset();
    m_demo.reset();
    m_attachment.setTarget(QStringLiteral("profile %1").arg(profile->name), profile->readOnly);
    auto describe = [](const QString &what, const QString &where) -> models::ConnectionHealth {
        if (where.isEmpty())
            return { State::NotConfigured, QStringLiteral("The profile names no %1.").arg(what) };
        return { State::NotConfigured,
            QStringLiteral("%1 at %2 is configured; this build does not inspect it yet.").arg(what, where) };
    };
    if (profile->adminUser.isEmpty()) {
        const QString why
            = QStringLiteral("The profile names no admin user: each replica's /admin/tap needs one "
                             "(File → Profiles…, Admin user).");
        m_attachment.setHealth(Service::Traffic, { State::NotConfigured, why });
        m_window->area(QStringLiteral("traffic"))->setEmptyDetail(why);
    } else {
        m_trafficArea = std::make_unique<TrafficAreaAssembly>(m_window->area(QStringLiteral("traffic")),
            inspect::TapCredentials { {}, profile->adminUser, profile->adminPassword },
            QStringLiteral("profile %1").arg(profile->name), &m_attachment);
        m_trafficArea->start();
    }

    if (profile->redisUrl.isEmpty()) {
        m_attachment.setHealth(Service::Redis, describe(QStringLiteral("Redis"), profile->redisUrl));
    } else if (profile->missingPasswords().contains(QStringLiteral("redis"))) {
        const QString why = QStringLiteral("The Redis user %1 has no password: give it in File → Profiles… "
                                           "(or in %2 when starting the console).")
                                .arg(profile->redisUser(), kRedisPasswordVariable);
        m_attachment.setHealth(Service::Redis, { State::NotConfigured, why });
        m_window->area(QStringLiteral("redis"))->setEmptyDetail(why);
    } else {
        m_redisArea = std::make_unique<RedisAreaAssembly>(m_window->area(QStringLiteral("redis")),
            profile->redisConnectionUrl(), profile->readOnly, &m_attachment);
        m_redisArea->start(); // an invalid URL is reported in the area and the status bar
    }
    QStringList problems;
    inspect::ReplicaDiscoveryConfig replicas = ReplicasAreaAssembly::configFromProfile(*profile, &problems);
    if (replicas.redis) // the registry may be unreadable now: the replicas seen last time can be asked
        replicas.rememberedAddresses = ConsoleRememberedReplicas::load(profile->name);
    m_replicasArea = std::make_unique<ReplicasAreaAssembly>(
        m_window->area(QStringLiteral("replicas")), replicas, &m_attachment);
    m_replicasArea->start(); // with no source the area and the status bar say so
    auto *remembered
        = new ConsoleRememberedReplicas(profile->name, m_replicasArea->model(), m_replicasArea.get());
    connect(m_replicasArea.get(), &ReplicasAreaAssembly::snapshotApplied, remembered,
        &ConsoleRememberedReplicas::save);
    connect(m_replicasArea.get(), &ReplicasAreaAssembly::snapshotApplied, m_snapshot.get(),
        &ConsoleSnapshotSchedule::replicasPolled);
    if (!problems.isEmpty())
        m_attachment.setHealth(Service::Replicas, { State::Degraded, problems.join(QStringLiteral("; ")) });
    m_clusterFaults = std::make_unique<ConsoleDevClusterFaults>(
        *profile, m_faultsPanel, m_faultLog.get(), m_replicasArea.get()); // the panel's, or its reason

    QStringList kafkaProblems;
    const inspect::KafkaInspectorConfig kafkaConfig
        = KafkaAreaAssembly::configFromProfile(*profile, &kafkaProblems);
    attachKafka(kafkaConfig);
    new ConsoleReplicaFanOut(
        m_replicasArea.get(), m_kafkaArea.get(), m_trafficArea.get()); // the Replicas area owns it
    if (m_trafficArea) {
        const cluster::RedisUrl trafficRedis = profile->redisConnectionUrl(); // an ACL user logs in here too
        m_trafficArea->setClusterSources(
            trafficRedis.isValid() ? std::optional(trafficRedis) : std::nullopt, kafkaConfig.settings, {});
    }
    if (!kafkaProblems.isEmpty())
        m_attachment.setHealth(Service::Kafka, { State::Degraded, kafkaProblems.join(QStringLiteral("; ")) });
    m_alerts->restart(profile->name, profile->alerts);
    m_alerts->watch(m_replicasArea.get(), m_kafkaArea.get(), m_trafficArea.get());
}

void ConsoleController::attachKafka(const inspect::KafkaInspectorConfig &config)
{
    m_kafkaArea
        = std::make_unique<KafkaAreaAssembly>(m_window->area(QStringLiteral("kafka")), config, &m_attachment);
    m_kafkaArea->start(); // with no bootstrap servers the area and the status bar say so
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
    connect(dialog, &ui::ProfilesDialog::connectionTestRequested, dialog,
        [dialog](const models::Profile &profile) { testConnections(dialog, profile); });
    dialog->open();
}

void ConsoleController::testConnections(ui::ProfilesDialog *dialog, const models::Profile &profile)
{
    // One run at a time: the previous run's checks go with their QObject, so their late
    // answers are dropped instead of overwriting this run's rows.
    delete dialog->findChild<QObject *>(QStringLiteral("connectionTestRun"), Qt::FindDirectChildrenOnly);
    auto *run = new QObject(dialog);
    run->setObjectName(QStringLiteral("connectionTestRun"));
    dialog->clearTestResults();
    const QString checking = QStringLiteral("checking…");
    // Each check answers once; its row says OK or what failed. Received by `run`, so a
    // check's answer after a newer run or the dialog's end goes nowhere.
    auto startCheck = [dialog, run](auto *check, const QString &part) {
        using Check = std::remove_pointer_t<decltype(check)>;
        connect(check, &Check::finished, run, [dialog, part](bool ok, const QString &detail) {
            dialog->setTestResult(part, ok ? QStringLiteral("OK") : QStringLiteral("failed"), detail);
        });
        check->start();
    };

    if (!profile.redisUrl.trimmed().isEmpty()) {
        const cluster::RedisUrl url = profile.redisConnectionUrl();
        dialog->setTestResult(QStringLiteral("Redis"), checking, url.isValid() ? url.redacted() : QString());
        startCheck(
            new inspect::RedisConnectionCheck(url, kRedisCheckTimeoutMs, run), QStringLiteral("Redis"));
    }
    if (!profile.kafkaBootstrap.trimmed().isEmpty()) {
        QStringList problems;
        const inspect::KafkaInspectorConfig kafka = KafkaAreaAssembly::configFromProfile(profile, &problems);
        if (!problems.isEmpty()) {
            dialog->setTestResult(
                QStringLiteral("Kafka"), QStringLiteral("failed"), problems.join(QStringLiteral("; ")));
        } else {
            dialog->setTestResult(QStringLiteral("Kafka"), checking, profile.kafkaBootstrap.trimmed());
            startCheck(new inspect::KafkaConnectionCheck(kafka.settings, kafka.requestTimeoutMs, run),
                QStringLiteral("Kafka"));
        }
    }
    QStringList problems;
    const inspect::ReplicaDiscoveryConfig replicas
        = ReplicasAreaAssembly::configFromProfile(profile, &problems);
    const QList<QPair<inspect::HttpReplicaProbe::Kind, QList<QUrl>>> endpoints {
        { inspect::HttpReplicaProbe::Kind::Metrics, replicas.prometheusEndpoints },
        { inspect::HttpReplicaProbe::Kind::AdminStats, replicas.adminStatsUrls }
    };
    for (const auto &[kind, urls] : endpoints) {
        for (const QUrl &url : urls) {
            const QString part
                = (kind == inspect::HttpReplicaProbe::Kind::Metrics ? QStringLiteral("Prometheus ")
                                                                    : QStringLiteral("/admin/stats "))
                + url.toDisplayString(QUrl::RemoveUserInfo);
            dialog->setTestResult(part, checking,
                kind == inspect::HttpReplicaProbe::Kind::AdminStats && !replicas.adminUser.isEmpty()
                    ? QStringLiteral("logging in as %1").arg(replicas.adminUser)
                    : QString());
            startCheck(new inspect::ReplicaEndpointCheck(kind, url, replicas, run), part);
        }
    }
    for (const QString &problem : std::as_const(problems)) {
        if (!problem.startsWith(QStringLiteral("Redis URL")))
            dialog->setTestResult(problem, QStringLiteral("failed"), QString());
    }
}

void ConsoleController::recordSample()
{
    m_recording.append(QDateTime::currentDateTimeUtc(),
        m_window->snapshotState(ui::kRecordingTableRows, ui::SnapshotPurpose::RecordingSample));
}

void ConsoleController::saveRecording(models::RecordingSaveJob::Done done)
{
    // The recording ends with the moment of the snapshot: its last sample is what
    // state.json shows (at the recording's table cap).
    recordSample();
    // As File → Save Recording: copies taken here (cheap), the JSON made and written on a
    // pool thread while the event loop turns; the console exits once `done` says so.
    models::RecordingSaveJob::ExtrasBuilder extras;
    if (m_trafficArea) {
        extras = [frames = m_trafficArea->recordingFrames(m_recording.firstAt(), m_recording.lastAt())] {
            return frames.toJson();
        };
    }
    models::RecordingSaveJob::startSave(m_recording, std::move(extras),
        models::RecordingStore::pathWithExtension(m_options.saveRecordingPath), this, std::move(done));
}

} // namespace sb::app
