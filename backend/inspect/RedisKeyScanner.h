#pragma once

#include "inspect/RedisKeyRecord.h"
#include "inspect/RedisScanProgress.h"

#include <QElapsedTimer>
#include <QObject>

#include <atomic>
#include <memory>

class QTimer;

namespace sb::cluster {
class RedisConnection;
class RedisReply;
} // namespace sb::cluster

namespace sb::inspect {

// Lists the keys of one Redis database without ever blocking it: SCAN with MATCH and a
// COUNT that adapts so each call stays short (never KEYS, which walks the whole keyspace
// in one call and stalls a production server for seconds). For every SCAN batch it
// pipelines TYPE, PTTL and optionally MEMORY USAGE, and hands finished records to the GUI
// thread in batches of at most 500 keys or 50 ms through batchReady() (queued).
//
// A scan runs until its budget of keys is spent (then it pauses, resumable from the
// cursor with scanMore() or scanAll()), until pause(), or to the end of the keyspace.
// Each start() gets a new generation: replies and batches of an older scan are dropped
// here, and consumers drop batches whose generation is not the one start() returned.
//
// Lives on a worker thread with the RedisConnection it is given (same thread). Every
// public method is thread-safe: it posts to the scanner's thread and returns at once.
class RedisKeyScanner : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        int initialCount = 100;
        int minCount = 10;
        int maxCount = 1000; // measured: about 0.5-1 ms of server time per SCAN at this COUNT
        double fastCallMs = 2.0; // below this the COUNT grows
        double slowCallMs = 5.0; // above this it shrinks
        int batchKeys = 500; // batchReady() carries at most this many keys...
        int batchMs = 50; // ...and waits at most this long for more
        int progressMs = 100; // progressChanged() at most this often while running
        int dbSizeRefreshMs = 1000;
        // MEMORY USAGE with its default SAMPLES 5 is O(1) per key. (SAMPLES 0 would
        // sample *every* element of a big hash or list: O(N) on the server.)
        int memorySamples = 5;
    };

    explicit RedisKeyScanner(sb::cluster::RedisConnection *connection, QObject *parent = nullptr);
    RedisKeyScanner(sb::cluster::RedisConnection *connection, Options options, QObject *parent = nullptr);
    ~RedisKeyScanner() override;

    // Starts a new scan from cursor 0 (cancelling any running one) and returns its
    // generation. budget: keys to scan before pausing; -1 scans to the end.
    quint64 start(const QByteArray &pattern, qint64 budget = -1);
    void pause();
    void resume();
    void scanMore(qint64 keys); // add to the budget and continue from the cursor
    void scanAll(); // lift the budget and continue from the cursor
    void cancel(); // stop and drop everything in flight
    void setMemoryUsageEnabled(bool enabled);
    // Fetches TYPE/PTTL(/MEMORY) of these keys again (visible rows, notified keys) and
    // answers with keysRefreshed(); a key that is gone comes back with type None.
    void refreshKeys(const QList<QByteArray> &keys);

    quint64 generation() const { return m_generation.load(); }

Q_SIGNALS:
    void batchReady(quint64 generation, const sb::inspect::RedisKeyBatch &records);
    void progressChanged(const sb::inspect::RedisScanProgress &progress);
    void keysRefreshed(const sb::inspect::RedisKeyBatch &records);

private:
    struct Batch;

    void startHere(quint64 generation, const QByteArray &pattern, qint64 budget);
    void setPaused(bool paused);
    void addBudget(qint64 keys);
    void cancelHere();
    void pump();
    void onScanReply(quint64 generation, const sb::cluster::RedisReply &reply);
    void fetchDetails(quint64 generation, QList<QByteArray> keys, bool refresh);
    void finishBatch(Batch &batch);
    void queueRecords(RedisKeyBatch records);
    void flush();
    void refreshDbSize();
    void adaptCount(double callMs);
    void emitProgress(bool force);
    bool isCurrent(quint64 generation) const { return generation == m_active && m_active != 0; }

    sb::cluster::RedisConnection *m_connection;
    const Options m_options;
    std::atomic<quint64> m_generation { 0 }; // the latest start(), from any thread
    quint64 m_active = 0; // the scan this thread is running (0: none)
    bool m_memoryUsage = true;
    RedisScanProgress m_progress;
    QByteArray m_cursor = "0";
    bool m_scanInFlight = false;
    int m_detailsInFlight = 0; // SCAN batches whose TYPE/PTTL replies are still due
    int m_count = 100;
    QElapsedTimer m_callTimer;
    QElapsedTimer m_sinceProgress;
    RedisKeyBatch m_pending; // finished records not yet emitted
    QTimer *m_flushTimer;
    QTimer *m_dbSizeTimer;
    QTimer *m_retryTimer; // after a client-side failure (not connected, overloaded)
};

} // namespace sb::inspect
