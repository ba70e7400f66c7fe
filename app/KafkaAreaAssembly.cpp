#include "app/KafkaAreaAssembly.h"

#include "inspect/KafkaDeadLetterWorker.h"
#include "inspect/KafkaInspector.h"
#include "models/KafkaGroupModel.h"
#include "models/KafkaPartitionModel.h"
#include "models/KafkaTopicModel.h"
#include "models/Profile.h"
#include "models/SeriesHistory.h"
#include "ui/AreaView.h"
#include "ui/KafkaDeadLetterView.h"
#include "ui/KafkaView.h"

namespace sb::app {

using models::AttachmentState;
using models::ConnectionHealth;

KafkaAreaAssembly::KafkaAreaAssembly(ui::AreaView *area, inspect::KafkaInspectorConfig config,
    models::AttachmentState *attachment, QObject *parent)
    : QObject(parent)
    , m_area(area)
    , m_config(std::move(config))
    , m_attachment(attachment)
    , m_groups(std::make_unique<models::KafkaGroupModel>())
    , m_partitions(std::make_unique<models::KafkaPartitionModel>())
    , m_topics(std::make_unique<models::KafkaTopicModel>())
    , m_lagHistory(std::make_unique<models::SeriesHistory>())
    // A poll in progress returns within a few request timeouts.
    , m_thread(QStringLiteral("kafka-inspector"), 4 * m_config.requestTimeoutMs + 2000)
{ }

KafkaAreaAssembly::~KafkaAreaAssembly()
{
    stop();
    delete m_view.data(); // it reads the models: goes first
}

ui::KafkaView *KafkaAreaAssembly::view() const
{
    return m_view.data();
}

ui::KafkaDeadLetterView *KafkaAreaAssembly::deadLetterView() const
{
    return m_deadLetterView.data();
}

void KafkaAreaAssembly::start()
{
    if (m_thread.isRunning() || m_view)
        return;
    if (m_config.isEmpty()) {
        const QString why = QStringLiteral("No Kafka is configured: set the profile's bootstrap servers "
                                           "(File → Profiles…) to see topics, consumer groups and lag.");
        if (m_area)
            m_area->setEmptyDetail(why);
        if (m_attachment)
            m_attachment->setHealth(
                AttachmentState::Service::Kafka, { ConnectionHealth::State::NotConfigured, why });
        return;
    }
    m_view = new ui::KafkaView(m_groups.get(), m_partitions.get(), m_topics.get(), m_lagHistory.get());
    if (m_area)
        m_area->setContent(m_view);
    if (m_attachment)
        m_attachment->setHealth(AttachmentState::Service::Kafka,
            { ConnectionHealth::State::Connecting,
                QStringLiteral("reading %1…").arg(QString::fromUtf8(m_config.settings.bootstrapServers())) });
    m_inspector = new inspect::KafkaInspector(m_config);
    m_inspector->setGroupOwners(m_owners);
    connect(m_inspector, &inspect::KafkaInspector::snapshotReady, m_groups.get(),
        [this](const inspect::KafkaClusterSnapshot &snapshot) { onSnapshot(snapshot); });
    startDeadLetters();
    m_thread.start(m_inspector);
    QMetaObject::invokeMethod(m_inspector, &inspect::KafkaInspector::start, Qt::QueuedConnection);
}

void KafkaAreaAssembly::startDeadLetters()
{
    const bool readOnly = m_attachment && m_attachment->readOnly();
    m_deadLetterView = new ui::KafkaDeadLetterView(m_topics.get(), readOnly);
    m_view->addDeadLetters(m_deadLetterView);
    // A child of the inspector: it moves to the area's thread and ends there with it.
    m_deadLetters = new inspect::KafkaDeadLetterWorker(
        m_config.settings, readOnly, m_config.requestTimeoutMs, m_inspector);
    auto *worker = m_deadLetters;
    connect(
        m_deadLetterView, &ui::KafkaDeadLetterView::listRequested, worker,
        [worker](const QString &topic, int max) { worker->list(topic, max); }, Qt::QueuedConnection);
    connect(
        m_deadLetterView, &ui::KafkaDeadLetterView::redriveRequested, worker,
        [worker](const QString &topic, const QList<inspect::KafkaDeadLetterRecord> &records) {
            worker->redrive(topic, records);
        },
        Qt::QueuedConnection);
    // The view is the context: a late answer after the area went is dropped.
    connect(worker, &inspect::KafkaDeadLetterWorker::listed, m_deadLetterView,
        &ui::KafkaDeadLetterView::showListing);
    connect(worker, &inspect::KafkaDeadLetterWorker::redriven, m_deadLetterView,
        &ui::KafkaDeadLetterView::showRedriveReport);
}

void KafkaAreaAssembly::setGroupOwners(const QList<inspect::KafkaGroupOwner> &owners)
{
    if (owners == m_owners)
        return;
    m_owners = owners;
    if (m_inspector) {
        QMetaObject::invokeMethod(
            m_inspector, [inspector = m_inspector, owners] { inspector->setGroupOwners(owners); },
            Qt::QueuedConnection);
    }
}

void KafkaAreaAssembly::stop()
{
    if (!m_thread.isRunning())
        return;
    // A poll in progress finishes first, on its thread: the GUI does not wait for it.
    if (m_deadLetters)
        m_deadLetters->stop(); // now, not queued: a redrive waiting for delivery reports gives up
    m_thread.finish([inspector = m_inspector] { inspector->stop(); });
    m_inspector = nullptr;
    m_deadLetters = nullptr;
}

void KafkaAreaAssembly::onSnapshot(const inspect::KafkaClusterSnapshot &snapshot)
{
    m_figures = models::KafkaFigures::from(snapshot);
    if (snapshot.reachable) {
        m_groups->apply(snapshot.groups);
        m_partitions->apply(snapshot.groups);
        m_topics->apply(snapshot.topics);
        const qint64 atMs = snapshot.at.toMSecsSinceEpoch();
        for (const auto &g : snapshot.groups) {
            if (g.verdict.status != inspect::BurrowStatus::Retired) // its lag only grows, and means nothing
                m_lagHistory->append(g.id, atMs, double(g.totalLag));
        }
        m_lagHistory->appendTotal(atMs, double(m_figures.totalLag));
    }
    if (m_view)
        m_view->showFigures(m_figures);
    if (m_attachment) {
        ConnectionHealth health;
        if (!snapshot.reachable) {
            health = { ConnectionHealth::State::Down,
                QStringLiteral("%1; retrying in %2 s")
                    .arg(snapshot.error)
                    .arg((snapshot.retryInMs + 999) / 1000) };
        } else {
            QString summary = QStringLiteral("%1 brokers, %2 groups, total lag %3")
                                  .arg(QString::number(m_figures.brokers), QString::number(m_figures.groups),
                                      QString::number(m_figures.totalLag));
            if (m_figures.groupsRetired > 0)
                summary += QStringLiteral(", %1 retired (of replicas that are gone)")
                               .arg(m_figures.groupsRetired);
            QStringList problems;
            if (m_figures.groupsInError > 0)
                problems << QStringLiteral("%1 group(s) in error").arg(m_figures.groupsInError);
            if (m_figures.groupsDown > 0)
                problems << QStringLiteral(
                    "%1 group(s) of a replica that died, until their session times out")
                                .arg(m_figures.groupsDown);
            health = m_figures.isDegraded() ? ConnectionHealth { ConnectionHealth::State::Degraded,
                summary + QStringLiteral("; ") + problems.join(QStringLiteral("; ")) }
                                            : ConnectionHealth { ConnectionHealth::State::Up, summary };
        }
        m_attachment->setHealth(AttachmentState::Service::Kafka, health);
    }
    emit snapshotApplied();
}

inspect::KafkaInspectorConfig KafkaAreaAssembly::configFromProfile(
    const models::Profile &profile, QStringList *problems)
{
    inspect::KafkaInspectorConfig config;
    config.settings.setBootstrapServers(profile.kafkaBootstrap.trimmed().toUtf8());
    for (const QString &line : profile.kafkaProperties) {
        if (line.trimmed().isEmpty() || line.trimmed().startsWith(QLatin1Char('#')))
            continue;
        QString error;
        if (!config.settings.addProperty(line.trimmed(), &error) && problems)
            problems->append(QStringLiteral("Kafka property: ") + error);
    }
    for (const QString &group : profile.kafkaGroups) {
        if (!group.trimmed().isEmpty())
            config.groups.append(group.trimmed());
    }
    return config;
}

} // namespace sb::app
