#include "inspect/RedisKeyScanner.h"

#include "cluster/RedisConnection.h"
#include "inspect/RedisInspectLog.h"

#include <QTimer>

namespace sb::inspect {

using sb::cluster::RedisConnection;
using sb::cluster::RedisReply;

namespace {

// Redis advances a SCAN cursor by incrementing its *bit-reversed* value, so the reversed
// cursor over 2^64 is the share of hash-table buckets already visited, whatever the
// table size. (Exact between rehashes; during one it is still a good estimate.)
double visitedFraction(const QByteArray &cursor)
{
    bool ok = false;
    quint64 value = cursor.toULongLong(&ok);
    if (!ok || value == 0)
        return 0.0;
    quint64 reversed = 0;
    for (int bit = 0; bit < 64; ++bit) {
        reversed = (reversed << 1) | (value & 1u);
        value >>= 1;
    }
    return double(reversed) / 18446744073709551616.0;
}

} // namespace

// The records of one pipelined TYPE/PTTL(/MEMORY USAGE) round, filled in as replies come.
struct RedisKeyScanner::Batch
{
    quint64 generation = 0;
    bool refresh = false; // refreshKeys(), not part of a scan
    RedisKeyBatch records;
    int remaining = 0; // replies still due
};

RedisKeyScanner::RedisKeyScanner(RedisConnection *connection, QObject *parent)
    : RedisKeyScanner(connection, Options(), parent)
{ }

RedisKeyScanner::RedisKeyScanner(RedisConnection *connection, Options options, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_options(options)
    , m_count(options.initialCount)
    , m_flushTimer(new QTimer(this))
    , m_dbSizeTimer(new QTimer(this))
    , m_retryTimer(new QTimer(this))
{
    qRegisterMetaType<sb::inspect::RedisKeyBatch>("sb::inspect::RedisKeyBatch");
    qRegisterMetaType<sb::inspect::RedisScanProgress>();
    m_flushTimer->setSingleShot(true);
    m_flushTimer->setInterval(m_options.batchMs);
    connect(m_flushTimer, &QTimer::timeout, this, &RedisKeyScanner::flush);
    m_dbSizeTimer->setInterval(m_options.dbSizeRefreshMs);
    connect(m_dbSizeTimer, &QTimer::timeout, this, &RedisKeyScanner::refreshDbSize);
    m_retryTimer->setSingleShot(true);
    m_retryTimer->setInterval(200);
    connect(m_retryTimer, &QTimer::timeout, this, &RedisKeyScanner::pump);
    // A scan that was waiting for the connection carries on from its cursor.
    connect(m_connection, &RedisConnection::connected, this, [this] {
        refreshDbSize();
        pump();
    });
    m_sinceProgress.start();
}

RedisKeyScanner::~RedisKeyScanner() = default;

quint64 RedisKeyScanner::start(const QByteArray &pattern, qint64 budget)
{
    const quint64 generation = ++m_generation;
    QMetaObject::invokeMethod(
        this, [this, generation, pattern, budget] { startHere(generation, pattern, budget); },
        Qt::QueuedConnection);
    return generation;
}

void RedisKeyScanner::pause()
{
    QMetaObject::invokeMethod(
        this, [this] { setPaused(true); }, Qt::QueuedConnection);
}

void RedisKeyScanner::resume()
{
    QMetaObject::invokeMethod(
        this, [this] { setPaused(false); }, Qt::QueuedConnection);
}

void RedisKeyScanner::scanMore(qint64 keys)
{
    QMetaObject::invokeMethod(
        this, [this, keys] { addBudget(keys); }, Qt::QueuedConnection);
}

void RedisKeyScanner::scanAll()
{
    QMetaObject::invokeMethod(
        this, [this] { addBudget(-1); }, Qt::QueuedConnection);
}

void RedisKeyScanner::cancel()
{
    ++m_generation; // a start() already posted but not yet run is cancelled too
    QMetaObject::invokeMethod(this, &RedisKeyScanner::cancelHere, Qt::QueuedConnection);
}

void RedisKeyScanner::setMemoryUsageEnabled(bool enabled)
{
    QMetaObject::invokeMethod(
        this, [this, enabled] { m_memoryUsage = enabled; }, Qt::QueuedConnection);
}

void RedisKeyScanner::refreshKeys(const QList<QByteArray> &keys)
{
    QMetaObject::invokeMethod(
        this,
        [this, keys] {
            // Bounded rounds, so a flood of notified keys cannot overrun the connection.
            for (qsizetype first = 0; first < keys.size(); first += m_options.batchKeys)
                fetchDetails(0, keys.mid(first, m_options.batchKeys), true);
        },
        Qt::QueuedConnection);
}

void RedisKeyScanner::startHere(quint64 generation, const QByteArray &pattern, qint64 budget)
{
    if (generation != m_generation.load())
        return; // superseded by a later start() or cancel() before it ran
    m_active = generation;
    m_progress = RedisScanProgress();
    m_progress.generation = generation;
    m_progress.pattern = pattern.isEmpty() ? QByteArray("*") : pattern;
    m_progress.budgetLeft = budget;
    m_progress.phase = budget == 0 ? RedisScanProgress::Phase::Paused : RedisScanProgress::Phase::Running;
    m_cursor = "0";
    m_scanInFlight = false;
    m_detailsInFlight = 0;
    m_count = m_options.initialCount;
    m_pending.clear();
    m_flushTimer->stop();
    qCDebug(lcInspectRedis) << "scan" << generation << "MATCH" << m_progress.pattern << "budget" << budget;
    refreshDbSize();
    m_dbSizeTimer->start();
    emitProgress(true);
    pump();
}

void RedisKeyScanner::setPaused(bool paused)
{
    if (!m_active || m_progress.phase == RedisScanProgress::Phase::Finished)
        return;
    if (paused)
        m_progress.phase = RedisScanProgress::Phase::Paused;
    else if (m_progress.budgetLeft != 0)
        m_progress.phase = RedisScanProgress::Phase::Running;
    emitProgress(true);
    pump();
}

void RedisKeyScanner::addBudget(qint64 keys)
{
    if (!m_active || m_progress.phase == RedisScanProgress::Phase::Finished)
        return;
    if (keys < 0)
        m_progress.budgetLeft = -1;
    else if (m_progress.budgetLeft >= 0)
        m_progress.budgetLeft += keys;
    m_progress.phase = RedisScanProgress::Phase::Running;
    m_progress.error.clear();
    emitProgress(true);
    pump();
}

void RedisKeyScanner::cancelHere()
{
    m_active = 0;
    m_pending.clear();
    m_flushTimer->stop();
    m_dbSizeTimer->stop();
    m_retryTimer->stop();
    m_scanInFlight = false;
    m_detailsInFlight = 0;
    m_progress.phase = RedisScanProgress::Phase::Idle;
    emitProgress(true);
}

// Sends the next SCAN when the scan should run and the previous batch's details are on
// their way: at most one SCAN and one batch of TYPE/PTTL in flight, so the pipeline (and
// the server's output buffer for us) stays bounded by maxCount keys.
void RedisKeyScanner::pump()
{
    if (!m_active || m_progress.phase != RedisScanProgress::Phase::Running || m_scanInFlight
        || m_detailsInFlight > 1 || m_progress.budgetLeft == 0 || (m_cursor == "0" && m_progress.calls > 0))
        return;
    if (!m_connection->isConnected()) {
        m_progress.error = QStringLiteral("waiting for the Redis connection");
        emitProgress(true);
        return; // connected() calls pump() again
    }
    m_scanInFlight = true;
    m_callTimer.start();
    const quint64 generation = m_active;
    m_connection->command(
        { "SCAN", m_cursor, "MATCH", m_progress.pattern, "COUNT", QByteArray::number(m_count) }, this,
        [this, generation](const RedisReply &reply) { onScanReply(generation, reply); });
}

void RedisKeyScanner::onScanReply(quint64 generation, const RedisReply &reply)
{
    if (!isCurrent(generation))
        return;
    m_scanInFlight = false;
    const double callMs = double(m_callTimer.nsecsElapsed()) / 1e6;
    if (reply.isError() || !reply.isArray() || reply.size() != 2) {
        if (reply.clientError() != RedisReply::ClientError::None) {
            // Nothing was lost: the cursor did not move, so retry the same call shortly.
            m_progress.error = reply.errorMessage();
            m_retryTimer->start();
        } else {
            m_progress.phase = RedisScanProgress::Phase::Failed;
            m_progress.error
                = reply.isError() ? reply.errorMessage() : u"unexpected SCAN reply: " + reply.toDebugString();
            qCWarning(lcInspectRedis).noquote() << "scan failed:" << m_progress.error;
        }
        emitProgress(true);
        return;
    }
    m_progress.error.clear();
    m_cursor = reply.at(0).bytes();
    const RedisReply keyList = reply.at(1); // at() returns a copy: keep it alive for the loop
    QList<QByteArray> keys;
    keys.reserve(keyList.size());
    for (const RedisReply &key : keyList.elements())
        keys.append(key.bytes());

    ++m_progress.calls;
    m_progress.lastCallMs = callMs;
    m_progress.maxCallMs = qMax(m_progress.maxCallMs, callMs);
    m_progress.count = m_count;
    adaptCount(callMs);
    m_progress.keysReturned += keys.size();
    m_progress.visitedFraction = m_cursor == "0" ? 1.0 : visitedFraction(m_cursor);
    if (m_progress.budgetLeft > 0) {
        m_progress.budgetLeft = qMax<qint64>(0, m_progress.budgetLeft - keys.size());
        if (m_progress.budgetLeft == 0 && m_cursor != "0")
            m_progress.phase = RedisScanProgress::Phase::Paused;
    }
    if (!keys.isEmpty()) {
        ++m_detailsInFlight;
        fetchDetails(generation, std::move(keys), false);
    }
    if (m_cursor == "0" && m_detailsInFlight == 0) {
        m_progress.phase = RedisScanProgress::Phase::Finished;
        flush();
    }
    pump();
    emitProgress(m_progress.phase != RedisScanProgress::Phase::Running);
}

void RedisKeyScanner::fetchDetails(quint64 generation, QList<QByteArray> keys, bool refresh)
{
    if (keys.isEmpty())
        return;
    auto batch = std::make_shared<Batch>();
    batch->generation = generation;
    batch->refresh = refresh;
    batch->records.resize(keys.size());
    const bool memory = m_memoryUsage;
    const int perKey = memory ? 3 : 2;
    batch->remaining = int(keys.size()) * perKey;
    const QByteArray samples = QByteArray::number(m_options.memorySamples);
    for (qsizetype i = 0; i < keys.size(); ++i) {
        const QByteArray &key = keys.at(i);
        batch->records[i].key = key;
        auto done = [this, batch] {
            if (--batch->remaining == 0)
                finishBatch(*batch);
        };
        m_connection->command({ "TYPE", key }, this, [batch, i, done](const RedisReply &reply) {
            batch->records[i].type = reply.isStatus() || reply.isString() ? parseRedisKeyType(reply.bytes())
                                                                          : RedisKeyType::Unknown;
            done();
        });
        m_connection->command({ "PTTL", key }, this, [batch, i, done](const RedisReply &reply) {
            RedisKeyRecord &record = batch->records[i];
            record.pttlMs = reply.isInteger() ? reply.toInteger() : RedisKeyRecord::NoExpiry;
            record.observedAtMs = steadyNowMs();
            done();
        });
        if (!memory)
            continue;
        m_connection->command({ "MEMORY", "USAGE", key, "SAMPLES", samples }, this,
            [this, batch, i, done](const RedisReply &reply) {
                if (reply.isInteger()) {
                    batch->records[i].memoryBytes = reply.toInteger();
                } else if (reply.isError() && m_memoryUsage
                    && reply.clientError() == RedisReply::ClientError::None) {
                    // Some managed services rename or forbid MEMORY: stop asking.
                    qCInfo(lcInspectRedis).noquote()
                        << "MEMORY USAGE refused, memory column off:" << reply.errorMessage();
                    m_memoryUsage = false;
                }
                done();
            });
    }
}

void RedisKeyScanner::finishBatch(Batch &batch)
{
    if (batch.refresh) {
        emit keysRefreshed(batch.records);
        return;
    }
    if (!isCurrent(batch.generation))
        return;
    --m_detailsInFlight;
    queueRecords(std::move(batch.records));
    if (m_cursor == "0" && m_detailsInFlight == 0 && !m_scanInFlight
        && m_progress.phase != RedisScanProgress::Phase::Failed) {
        m_progress.phase = RedisScanProgress::Phase::Finished;
        flush();
        return;
    }
    pump();
}

void RedisKeyScanner::queueRecords(RedisKeyBatch records)
{
    m_pending.append(std::move(records));
    if (m_pending.size() >= m_options.batchKeys) {
        const qsizetype whole = m_pending.size() - m_pending.size() % m_options.batchKeys;
        for (qsizetype first = 0; first < whole; first += m_options.batchKeys)
            emit batchReady(m_active, m_pending.mid(first, m_options.batchKeys));
        m_pending.remove(0, whole);
    }
    if (!m_pending.isEmpty() && !m_flushTimer->isActive())
        m_flushTimer->start();
}

void RedisKeyScanner::flush()
{
    m_flushTimer->stop();
    if (m_active) {
        for (qsizetype first = 0; first < m_pending.size(); first += m_options.batchKeys)
            emit batchReady(m_active, m_pending.mid(first, m_options.batchKeys));
    }
    m_pending.clear();
    emitProgress(true);
}

void RedisKeyScanner::refreshDbSize()
{
    if (!m_active || !m_connection->isConnected())
        return;
    const quint64 generation = m_active;
    m_connection->command({ "DBSIZE" }, this, [this, generation](const RedisReply &reply) {
        if (!isCurrent(generation) || !reply.isInteger() || reply.toInteger() == m_progress.dbSize)
            return;
        m_progress.dbSize = reply.toInteger();
        emitProgress(true);
    });
}

void RedisKeyScanner::adaptCount(double callMs)
{
    if (callMs < m_options.fastCallMs)
        m_count = qMin(m_options.maxCount, m_count + m_count / 2 + 1);
    else if (callMs > m_options.slowCallMs)
        m_count = qMax(m_options.minCount, m_count / 2);
}

void RedisKeyScanner::emitProgress(bool force)
{
    if (!force && m_sinceProgress.elapsed() < m_options.progressMs)
        return;
    m_sinceProgress.restart();
    emit progressChanged(m_progress);
}

} // namespace sb::inspect
