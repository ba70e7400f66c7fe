#include "cluster/KafkaBroadcastCatchUp.h"

#include "cluster/BroadcastSequencer.h"
#include "cluster/BusHop.h"
#include "cluster/KafkaLog.h"
#include "cluster/KafkaStage1Reader.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QSet>
#include <QThread>

namespace sb::cluster {

namespace {
constexpr int kRetryMinMs = 200;
constexpr int kRetryMaxMs = 5000;
constexpr int kCommitPollMs = 100;
constexpr int kCommitWaitLogMs = 5000;
} // namespace

KafkaBroadcastCatchUp::KafkaBroadcastCatchUp(KafkaSettings settings, QByteArray topic, QByteArray group,
    QByteArray clientId, BroadcastSequencer *sequencer)
    : m_topic(topic)
    , m_sequencer(sequencer)
    , m_reader(std::make_unique<KafkaStage1Reader>(
          std::move(settings), std::move(topic), std::move(group), std::move(clientId)))
{ }

KafkaBroadcastCatchUp::~KafkaBroadcastCatchUp()
{
    stop();
}

void KafkaBroadcastCatchUp::start(std::function<void()> floorKnown, std::function<void()> firstCaughtUp)
{
    if (m_thread)
        return;
    m_floorKnown = std::move(floorKnown);
    m_firstCaughtUp = std::move(firstCaughtUp);
    m_stopping = false;
    m_thread = QThread::create([this] { run(); });
    m_thread->setObjectName(QStringLiteral("bus-catch-up"));
    m_thread->start();
}

void KafkaBroadcastCatchUp::request()
{
    const QMutexLocker lock(&m_mutex);
    ++m_requests;
    m_wake.wakeAll();
}

void KafkaBroadcastCatchUp::stop()
{
    if (!m_thread)
        return;
    {
        const QMutexLocker lock(&m_mutex);
        m_stopping = true;
        m_wake.wakeAll();
    }
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
}

bool KafkaBroadcastCatchUp::pause(int ms)
{
    QMutexLocker lock(&m_mutex);
    if (!m_stopping.load())
        m_wake.wait(&m_mutex, QDeadlineTimer(ms));
    return !m_stopping.load();
}

void KafkaBroadcastCatchUp::run()
{
    int retryMs = kRetryMinMs;
    while (!readFloor()) {
        if (!pause(retryMs))
            return;
        retryMs = std::min(retryMs * 2, kRetryMaxMs);
    }
    if (m_floorKnown)
        m_floorKnown();
    retryMs = kRetryMinMs;
    while (!m_stopping.load()) {
        {
            QMutexLocker lock(&m_mutex);
            while (m_requests == 0 && !m_stopping.load())
                m_wake.wait(&m_mutex);
            m_requests = 0;
        }
        if (m_stopping.load())
            return;
        m_inRound = true;
        ++m_rounds;
        const bool done = round();
        m_inRound = false;
        if (done) {
            retryMs = kRetryMinMs;
            if (!m_caughtUpOnce.exchange(true) && m_firstCaughtUp)
                m_firstCaughtUp();
            continue;
        }
        // Kafka unreachable, or held messages had to be dropped: another round, after a pause
        // when it was an error.
        request();
        if (!pause(retryMs))
            return;
        retryMs = std::min(retryMs * 2, kRetryMaxMs);
    }
}

bool KafkaBroadcastCatchUp::readFloor()
{
    QString error;
    if (!m_reader->open(&error)) {
        qCWarning(lcKafka).noquote() << "stage-2 catch-up:" << error;
        return false;
    }
    const std::optional<int> partitions = m_reader->partitions(&error);
    const auto committed = partitions ? m_reader->committed(*partitions, &error) : std::nullopt;
    const auto starts = committed ? m_reader->startOffsets(*partitions, &error) : std::nullopt;
    if (!starts) {
        qCWarning(lcKafka).noquote() << "stage-2 catch-up cannot read where stage 1 is yet (retrying):"
                                     << error;
        return false;
    }
    m_floor.clear();
    for (int p = 0; p < *partitions; ++p)
        m_floor.append(committed->at(p) >= 0 ? committed->at(p) : starts->at(p));
    return true;
}

// One round (see the class comment). False when it must run again.
bool KafkaBroadcastCatchUp::round()
{
    m_sequencer->beginCatchUp();
    QString error;
    const std::optional<int> partitions = m_reader->partitions(&error);
    const auto ends = partitions ? m_reader->endOffsets(*partitions, &error) : std::nullopt;
    const auto starts = ends ? m_reader->startOffsets(*partitions, &error) : std::nullopt;
    if (!starts) {
        qCWarning(lcKafka).noquote() << "stage-2 catch-up: cannot read stage 1 (retrying):" << error;
        return m_sequencer->endCatchUp(false);
    }
    QHash<int, KafkaStage1Reader::Range> ranges;
    QSet<int> behind;
    for (int p = 0; p < *partitions; ++p) {
        // A partition added since start has no floor: everything in it is new to us.
        const qint64 floor = std::max(p < m_floor.size() ? m_floor.at(p) : 0, starts->at(p));
        const qint64 from = m_sequencer->resumeOffset(p, floor);
        if (from < ends->at(p)) {
            ranges.insert(p, { from, ends->at(p) - 1 });
            behind.insert(p);
        }
    }
    m_sequencer->holdOnly(behind);
    const QByteArray topic = m_topic;
    quint64 read = 0;
    auto take = [this, &read, &topic](const KafkaRecord &record) {
        // Not a JSON object: the relay dead-lettered it and never sent it.
        if (!QJsonDocument::fromJson(record.value).isObject())
            return;
        ++read;
        m_sequencer->caughtUp(record.value,
            BusHop { .medium = BusHop::Medium::Kafka,
                .topic = topic,
                .partition = record.partition,
                .offset = record.offset,
                .key = record.key },
            BroadcastOrigin { .partition = record.partition, .offset = record.offset });
    };
    // Each partition is read once the stage-1 group's commit reached its end: then every
    // record below was sent, before the subscription (missed: read now) or after it (held).
    // A partition whose relay is slow holds back only its own live messages.
    QElapsedTimer waited;
    waited.start();
    bool logged = false;
    while (!behind.isEmpty() && !m_stopping.load()) {
        const auto committed = m_reader->committed(*partitions, &error);
        if (!committed) {
            qCWarning(lcKafka).noquote()
                << "stage-2 catch-up: cannot read stage 1's commits (retrying):" << error;
            break;
        }
        QHash<int, KafkaStage1Reader::Range> ready;
        for (int p : std::as_const(behind))
            if (committed->at(p) >= ends->at(p))
                ready.insert(p, ranges.value(p));
        if (ready.isEmpty()) {
            if (!logged && waited.elapsed() > kCommitWaitLogMs) {
                logged = true;
                qCInfo(lcKafka,
                    "stage-2 catch-up: waiting for stage 1 to relay its backlog (%lld partition(s))",
                    static_cast<long long>(behind.size()));
            }
            pause(kCommitPollMs);
            continue;
        }
        if (!m_reader->read(
                ready, take, [this] { return m_stopping.load(); }, &error)) {
            qCWarning(lcKafka).noquote() << "stage-2 catch-up: reading stage 1 failed (retrying):" << error;
            break;
        }
        for (auto it = ready.cbegin(); it != ready.cend(); ++it) {
            m_sequencer->release(it.key());
            behind.remove(it.key());
        }
    }
    if (!ranges.isEmpty())
        qCInfo(lcKafka,
            "stage-2 catch-up after the subscription returned: %llu record(s) read from %s, %lld "
            "partition(s) left",
            static_cast<unsigned long long>(read), m_topic.constData(),
            static_cast<long long>(behind.size()));
    const bool completed = behind.isEmpty();
    const bool done = m_sequencer->endCatchUp(completed);
    if (completed && !done)
        qCWarning(lcKafka,
            "stage-2 catch-up: live messages came faster than it could hold them; reading them again");
    return done;
}

} // namespace sb::cluster
