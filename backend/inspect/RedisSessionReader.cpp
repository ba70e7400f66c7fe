#include "inspect/RedisSessionReader.h"

#include "cluster/RedisConnection.h"
#include "inspect/RedisInspectLog.h"
#include "inspect/RedisKeyRecord.h"

#include <QDateTime>
#include <QTimer>

namespace sb::inspect {

using sb::cluster::RedisConnection;
using sb::cluster::RedisReply;

namespace {
constexpr int kScanCount = 1000;

QByteArray escapeGlob(const QByteArray &text)
{
    QByteArray escaped;
    for (const char c : text) {
        if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\')
            escaped += '\\';
        escaped += c;
    }
    return escaped;
}
} // namespace

struct RedisSessionReader::Pass
{
    QByteArray cursor = "0";
    bool scanDone = false;
    int pendingReplies = 0;
    QElapsedTimer clock;
    RedisSessionSnapshot snapshot;
};

RedisSessionReader::RedisSessionReader(RedisConnection *connection, QByteArray prefix, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_sessionPrefix(prefix + "session:")
    , m_tokenPrefix(prefix + "token:")
    , m_pattern(matchPattern(prefix))
    , m_timer(new QTimer(this))
{
    qRegisterMetaType<sb::inspect::RedisSessionSnapshot>();
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &RedisSessionReader::beginPass);
    connect(m_connection, &RedisConnection::connected, this, [this] {
        if (m_running && !m_pass)
            beginPass();
    });
}

RedisSessionReader::~RedisSessionReader() = default;

QByteArray RedisSessionReader::matchPattern(const QByteArray &prefix)
{
    // session:, token: -> [st][eo][sk]*: one SCAN pass instead of one per prefix.
    return escapeGlob(prefix) + "[st][eo][sk]*";
}

void RedisSessionReader::start(int intervalMs)
{
    QMetaObject::invokeMethod(
        this,
        [this, intervalMs] {
            m_intervalMs = qMax(100, intervalMs);
            m_running = true;
            if (!m_pass)
                beginPass();
        },
        Qt::QueuedConnection);
}

void RedisSessionReader::stop()
{
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_running = false;
            m_timer->stop();
            m_pass.reset();
        },
        Qt::QueuedConnection);
}

void RedisSessionReader::refreshNow()
{
    QMetaObject::invokeMethod(
        this,
        [this] {
            if (m_pass)
                return; // the pass under way answers
            if (!m_connection->isConnected()) {
                // Asked for now, answered now: not when the connection is back, maybe never.
                RedisSessionSnapshot failed;
                failed.error = QStringLiteral("not connected to Redis");
                if (!m_connection->lastError().isEmpty())
                    failed.error += QStringLiteral(": ") + m_connection->lastError();
                emit snapshotReady(failed);
                return;
            }
            beginPass();
        },
        Qt::QueuedConnection);
}

void RedisSessionReader::beginPass()
{
    m_timer->stop();
    if (!m_connection->isConnected())
        return; // connected() starts the next pass
    m_pass = std::make_shared<Pass>();
    m_pass->clock.start();
    scanNext();
}

void RedisSessionReader::scanNext()
{
    const std::shared_ptr<Pass> pass = m_pass;
    m_connection->command(
        { "SCAN", pass->cursor, "MATCH", m_pattern, "COUNT", QByteArray::number(kScanCount) }, this,
        [this, pass](const RedisReply &reply) { onScan(pass, reply); });
}

void RedisSessionReader::onScan(const std::shared_ptr<Pass> &pass, const RedisReply &reply)
{
    if (pass != m_pass)
        return; // stopped or superseded
    if (reply.isError() || reply.size() != 2) {
        pass->snapshot.error
            = reply.isError() ? reply.errorMessage() : QStringLiteral("unexpected SCAN reply");
        pass->scanDone = true;
        maybeFinish(pass);
        return;
    }
    pass->cursor = reply.at(0).bytes();
    const RedisReply keyList = reply.at(1); // at() returns a copy: keep it alive for the loop
    QList<QByteArray> keys;
    for (const RedisReply &key : keyList.elements())
        keys.append(key.bytes());
    readKeys(pass, keys);
    if (pass->cursor == "0") {
        pass->scanDone = true;
        maybeFinish(pass);
    } else {
        scanNext(); // queued behind this batch's reads: at most one batch in flight
    }
}

void RedisSessionReader::readKeys(const std::shared_ptr<Pass> &pass, const QList<QByteArray> &keys)
{
    for (const QByteArray &key : keys) {
        if (key.startsWith(m_sessionPrefix)) {
            const qsizetype index = pass->snapshot.sessions.size();
            pass->snapshot.sessions.append(RedisSessionRecord { key, {}, {}, {}, {}, {}, -1 });
            pass->pendingReplies += 2;
            m_connection->command({ "HMGET", key, "user", "node", "transport", "since", "remote" }, this,
                [this, pass, index](const RedisReply &reply) {
                    failOnError(pass, "HMGET", reply);
                    RedisSessionRecord &s = pass->snapshot.sessions[index];
                    s.user = QString::fromUtf8(reply.at(0).bytes());
                    s.node = QString::fromUtf8(reply.at(1).bytes());
                    s.transport = QString::fromUtf8(reply.at(2).bytes());
                    s.since = QString::fromUtf8(reply.at(3).bytes());
                    s.remote = QString::fromUtf8(reply.at(4).bytes());
                    --pass->pendingReplies;
                    maybeFinish(pass);
                });
            m_connection->command({ "PTTL", key }, this, [this, pass, index](const RedisReply &reply) {
                pass->snapshot.sessions[index].pttlMs = reply.isInteger() ? reply.toInteger() : -1;
                --pass->pendingReplies;
                maybeFinish(pass);
            });
        } else if (key.startsWith(m_tokenPrefix)) {
            const qsizetype index = pass->snapshot.tokens.size();
            pass->snapshot.tokens.append(RedisTokenRecord { key, {}, -1 });
            pass->pendingReplies += 2;
            m_connection->command({ "GET", key }, this, [this, pass, index](const RedisReply &reply) {
                failOnError(pass, "GET", reply);
                if (reply.isString())
                    pass->snapshot.tokens[index].user = QString::fromUtf8(reply.bytes());
                --pass->pendingReplies;
                maybeFinish(pass);
            });
            m_connection->command({ "PTTL", key }, this, [this, pass, index](const RedisReply &reply) {
                pass->snapshot.tokens[index].pttlMs = reply.isInteger() ? reply.toInteger() : -1;
                --pass->pendingReplies;
                maybeFinish(pass);
            });
        }
    }
}

void RedisSessionReader::failOnError(
    const std::shared_ptr<Pass> &pass, const char *command, const RedisReply &reply)
{
    // A session or token whose fields were not read is not one without a user: the pass failed.
    if (reply.isError() && pass->snapshot.error.isEmpty())
        pass->snapshot.error = QLatin1String(command) + QStringLiteral(": ") + reply.errorMessage();
}

void RedisSessionReader::maybeFinish(const std::shared_ptr<Pass> &pass)
{
    if (pass != m_pass || !pass->scanDone || pass->pendingReplies > 0)
        return;
    RedisSessionSnapshot &snapshot = pass->snapshot;
    // Keys that expired between SCAN and their read are gone: not sessions any more.
    snapshot.sessions.removeIf([](const RedisSessionRecord &s) { return s.pttlMs == -2; });
    snapshot.tokens.removeIf([](const RedisTokenRecord &t) { return t.pttlMs == -2; });
    snapshot.observedAtMs = steadyNowMs();
    snapshot.wallClockMs = QDateTime::currentMSecsSinceEpoch();
    snapshot.passMs = pass->clock.elapsed();
    m_lastPassMs = snapshot.passMs;
    m_pass.reset();
    if (!snapshot.error.isEmpty())
        qCWarning(lcInspectRedis).noquote() << "sessions pass failed:" << snapshot.error;
    emit snapshotReady(snapshot);
    scheduleNext();
}

void RedisSessionReader::scheduleNext()
{
    if (!m_running)
        return;
    // Never spend more than about a fifth of the time scanning, however big the keyspace.
    m_timer->start(int(qMin<qint64>(qMax<qint64>(m_intervalMs, 4 * m_lastPassMs), 600000)));
}

} // namespace sb::inspect
