#include "app/ConsoleController.h"

#include "app/DemoTraffic.h"
#include "app/DevCluster.h"
#include "app/KafkaAreaAssembly.h"
#include "app/RedisAreaAssembly.h"
#include "app/ReplicasAreaAssembly.h"
#include "app/TrafficAreaAssembly.h"
#include "cluster/RedisUrl.h"
#include "inspect/KafkaInspectorConfig.h"
#include "inspect/ReplicaDiscoveryConfig.h"
#include "models/ReplicaModel.h"
#include "ui/AreaView.h"
#include "ui/MainWindow.h"
#include "ui/ProfilesDialog.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonObject>
#include <QTextStream>

#include <cstdio>

namespace sb::app {

namespace {
using Service = models::AttachmentState::Service;
using State = models::ConnectionHealth::State;
constexpr int kRecordIntervalMs = 5000;
constexpr double kDemoMessagesPerSecond = 2.0;
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
    m_demoTraffic.reset();
    m_trafficArea.reset();
    m_kafkaArea.reset();
    m_replicasArea.reset();
    m_redisArea.reset();
    m_demo.reset();
}

bool ConsoleController::start(QString *error)
{
    m_window = std::make_unique<ui::MainWindow>(&m_attachment, &m_recording);
    m_window->setRecordingExtras([this](const QDateTime &from, const QDateTime &to) {
        return m_trafficArea ? m_trafficArea->recordingSection(from, to) : QJsonObject();
    });
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
    const QString starting = QStringLiteral("Starting the embedded demo cluster…");
    for (Service service : models::AttachmentState::services())
        m_attachment.setHealth(service, {State::Connecting, starting});
    for (const QString &key : m_window->areaKeys())
        m_window->area(key)->setEmptyDetail(starting);

    // The devcluster assembly, in this process: the mock Kafka here, redis-server and the
    // three nodes as children that die with us. Everything is asynchronous.
    m_demo = std::make_unique<DevCluster>(DevClusterOptions{}, QCoreApplication::applicationFilePath());
    connect(m_demo.get(), &DevCluster::progress, this, [this](const QString &step) {
        for (Service service : {Service::Replicas, Service::Redis, Service::Kafka})
            m_attachment.setHealth(service, {State::Connecting, step});
        for (const QString &key : m_window->areaKeys())
            m_window->area(key)->setEmptyDetail(QStringLiteral("Starting the embedded demo cluster: ") + step);
    });
    connect(m_demo.get(), &DevCluster::failed, this, [this](const QString &part, const QString &reason) {
        const QString why = QStringLiteral("The embedded demo cluster could not start (%1): %2").arg(part, reason);
        for (Service service : models::AttachmentState::services())
            m_attachment.setHealth(service, {State::Down, why});
        for (const QString &key : m_window->areaKeys())
            m_window->area(key)->setEmptyDetail(why);
        m_demo->stop(2000);
    });
    connect(m_demo.get(), &DevCluster::ready, this, &ConsoleController::attachDemoViews);
    m_demo->start();
}

void ConsoleController::attachDemoViews(const QJsonObject &endpoints)
{
    const cluster::RedisUrl redis = cluster::RedisUrl::parse(endpoints.value(QStringLiteral("redis")).toString());
    m_redisArea = std::make_unique<RedisAreaAssembly>(m_window->area(QStringLiteral("redis")), redis, false, &m_attachment);
    m_redisArea->start();
    inspect::ReplicaDiscoveryConfig replicas;
    replicas.redis = redis;
    m_replicasArea = std::make_unique<ReplicasAreaAssembly>(m_window->area(QStringLiteral("replicas")), replicas,
                                                            &m_attachment);
    m_replicasArea->start();
    connect(m_replicasArea.get(), &ReplicasAreaAssembly::snapshotApplied, this, &ConsoleController::forwardAnnouncedGroups);
    connect(m_replicasArea.get(), &ReplicasAreaAssembly::snapshotApplied, this, &ConsoleController::forwardTapEndpoints);
    // The demo's nodes run with --demo-users: admin/admin may read every replica's tap.
    m_trafficArea = std::make_unique<TrafficAreaAssembly>(m_window->area(QStringLiteral("traffic")),
                                                          inspect::TapCredentials{{}, QStringLiteral("admin"), QStringLiteral("admin")},
                                                          QStringLiteral("embedded demo cluster"), &m_attachment);
    m_trafficArea->start();
    inspect::KafkaInspectorConfig kafka;
    kafka.settings.setBootstrapServers(endpoints.value(QStringLiteral("kafka")).toString().toUtf8());
    m_trafficArea->setClusterSources(redis, kafka.settings, endpoints.value(QStringLiteral("topicPrefix")).toString());
    attachKafka(kafka);
    // Clients and messages, so the demo shows a cluster at work, not an idle one.
    m_demoTraffic = std::make_unique<DemoTraffic>(kDemoMessagesPerSecond);
    m_demoTraffic->start(DemoTraffic::replicaUrls(endpoints));
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
    // Leaving the demo (or the previous profile): its clients, views and cluster go first.
    m_demoTraffic.reset();
    m_trafficArea.reset();
    m_kafkaArea.reset();
    m_replicasArea.reset();
    m_redisArea.reset();
    m_demo.reset();
    m_attachment.setTarget(QStringLiteral("profile %1").arg(profile->name), profile->readOnly);
    auto describe = [](const QString &what, const QString &where) -> models::ConnectionHealth {
        if (where.isEmpty())
            return {State::NotConfigured, QStringLiteral("The profile names no %1.").arg(what)};
        return {State::NotConfigured,
                QStringLiteral("%1 at %2 is configured; this build does not inspect it yet.").arg(what, where)};
    };
    if (profile->adminUser.isEmpty()) {
        const QString why = QStringLiteral("The profile names no admin user: each replica's /admin/tap needs one "
                                           "(File → Profiles…, Admin user).");
        m_attachment.setHealth(Service::Traffic, {State::NotConfigured, why});
        m_window->area(QStringLiteral("traffic"))->setEmptyDetail(why);
    } else {
        m_trafficArea = std::make_unique<TrafficAreaAssembly>(
            m_window->area(QStringLiteral("traffic")), inspect::TapCredentials{{}, profile->adminUser, profile->adminPassword},
            QStringLiteral("profile %1").arg(profile->name), &m_attachment);
        m_trafficArea->start();
    }

    cluster::RedisUrl redis = cluster::RedisUrl::parse(profile->redisUrl);
    if (profile->redisUrl.isEmpty()) {
        m_attachment.setHealth(Service::Redis, describe(QStringLiteral("Redis"), profile->redisUrl));
    } else {
        if (!profile->redisPassword.isEmpty())
            redis.setPassword(profile->redisPassword);
        m_redisArea = std::make_unique<RedisAreaAssembly>(m_window->area(QStringLiteral("redis")), redis,
                                                          profile->readOnly, &m_attachment);
        m_redisArea->start(); // an invalid URL is reported in the area and the status bar
    }
    QStringList problems;
    inspect::ReplicaDiscoveryConfig replicas = ReplicasAreaAssembly::configFromProfile(*profile, &problems);
    if (!profile->redisPassword.isEmpty() && replicas.redis)
        replicas.redis->setPassword(profile->redisPassword);
    m_replicasArea = std::make_unique<ReplicasAreaAssembly>(m_window->area(QStringLiteral("replicas")), replicas,
                                                            &m_attachment);
    m_replicasArea->start(); // with no source the area and the status bar say so
    connect(m_replicasArea.get(), &ReplicasAreaAssembly::snapshotApplied, this, &ConsoleController::forwardAnnouncedGroups);
    connect(m_replicasArea.get(), &ReplicasAreaAssembly::snapshotApplied, this, &ConsoleController::forwardTapEndpoints);
    if (!problems.isEmpty())
        m_attachment.setHealth(Service::Replicas, {State::Degraded, problems.join(QStringLiteral("; "))});

    QStringList kafkaProblems;
    const inspect::KafkaInspectorConfig kafkaConfig = KafkaAreaAssembly::configFromProfile(*profile, &kafkaProblems);
    attachKafka(kafkaConfig);
    if (m_trafficArea) {
        cluster::RedisUrl trafficRedis = cluster::RedisUrl::parse(profile->redisUrl);
        if (!profile->redisPassword.isEmpty())
            trafficRedis.setPassword(profile->redisPassword);
        m_trafficArea->setClusterSources(trafficRedis.isValid() ? std::optional(trafficRedis) : std::nullopt,
                                         kafkaConfig.settings, {});
    }
    if (!kafkaProblems.isEmpty())
        m_attachment.setHealth(Service::Kafka, {State::Degraded, kafkaProblems.join(QStringLiteral("; "))});
    return true;
}

void ConsoleController::attachKafka(const inspect::KafkaInspectorConfig &config)
{
    m_kafkaArea = std::make_unique<KafkaAreaAssembly>(m_window->area(QStringLiteral("kafka")), config, &m_attachment);
    m_kafkaArea->start(); // with no bootstrap servers the area and the status bar say so
}

void ConsoleController::forwardAnnouncedGroups()
{
    // Where the broker cannot list groups, the replicas' own announcements name them.
    if (!m_kafkaArea || !m_replicasArea)
        return;
    const models::ReplicaModel *replicas = m_replicasArea->model();
    QStringList groups;
    for (int row = 0; row < replicas->rowCount(); ++row) {
        for (const QString &group : replicas->replica(row).kafkaGroups) {
            if (!groups.contains(group))
                groups.append(group);
        }
    }
    groups.sort();
    m_kafkaArea->setAnnouncedGroups(groups);
}

void ConsoleController::forwardTapEndpoints()
{
    // Every replica the Replicas area knows, down ones included: their tap clients say
    // "down" and retry, so the Traffic area shows the same cluster as the Replicas area.
    if (!m_trafficArea || !m_replicasArea)
        return;
    const models::ReplicaModel *replicas = m_replicasArea->model();
    QList<inspect::TapEndpoint> endpoints;
    for (int row = 0; row < replicas->rowCount(); ++row) {
        const inspect::ReplicaInfo &replica = replicas->replica(row);
        if (replica.id.isEmpty() || replica.address.isEmpty())
            continue;
        const QUrl base(replica.address.contains(u"://") ? replica.address : QStringLiteral("http://") + replica.address);
        if (base.isValid() && !base.host().isEmpty())
            endpoints.append({replica.id, base});
    }
    m_trafficArea->setEndpoints(endpoints);
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
    m_recording.append(QDateTime::currentDateTimeUtc(), m_window->snapshotState(ui::kRecordingTableRows));
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
