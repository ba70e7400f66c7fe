#include "app/FaultSessionReader.h"

#include "app/FaultFanIn.h"
#include "cluster/RedisConnection.h"
#include "cluster/RedisKeys.h"
#include "cluster/RedisUrl.h"
#include "inspect/RedisSessionReader.h"

#include <QSet>

namespace sb::app {

namespace {
const cluster::RedisKeys kSessionKeys; // the replicas' default prefix, as the devcluster runs them

// The user's sessions and tokens in `pass`, without their replicas' starts.
FaultSessionReader::Reading userReading(const inspect::RedisSessionSnapshot &pass, const QString &user)
{
    FaultSessionReader::Reading reading;
    reading.ok = pass.error.isEmpty();
    reading.error = pass.error;
    if (!reading.ok)
        return reading;
    const qsizetype sessionPrefix = kSessionKeys.session(QString()).size();
    for (const inspect::RedisSessionRecord &session : pass.sessions)
        if (session.user == user)
            reading.sessions.insert(QString::fromUtf8(session.key.mid(sessionPrefix)),
                { session.node, session.since.toLongLong() });
    const qsizetype tokenPrefix = kSessionKeys.token(QString()).size();
    for (const inspect::RedisTokenRecord &token : pass.tokens)
        if (token.user == user)
            reading.tokens.append(QString::fromUtf8(token.key.mid(tokenPrefix)));
    return reading;
}
} // namespace

FaultSessionReader::FaultSessionReader(std::function<QString()> redisUrl, QObject *parent)
    : QObject(parent)
    , m_redisUrl(std::move(redisUrl))
{
    m_thread.setObjectName(QStringLiteral("fault-session-reader"));
}

FaultSessionReader::~FaultSessionReader()
{
    // The connection and its reader are deleted on their own thread as it ends (QThread::finished).
    if (m_thread.isRunning()) {
        m_thread.quit();
        m_thread.wait();
    }
}

bool FaultSessionReader::ensureReader(QString *why)
{
    if (m_sessions)
        return true;
    const cluster::RedisUrl url = cluster::RedisUrl::parse(m_redisUrl());
    if (!url.isValid()) {
        *why = QStringLiteral("no Redis to read the sessions from: ") + url.errorString();
        return false;
    }
    cluster::RedisConnectionOptions options;
    options.name = QStringLiteral("switchboard-faults");
    m_redis = new cluster::RedisConnection(url, options);
    m_sessions = new inspect::RedisSessionReader(m_redis, kSessionKeys.prefix(), m_redis);
    m_redis->moveToThread(&m_thread); // with its child, the reader
    connect(&m_thread, &QThread::finished, m_redis, &QObject::deleteLater);
    m_thread.start();
    // Until it is connected a pass asked for fails at once (RedisSessionReader::refreshNow):
    // the watch asks again.
    m_redis->open();
    return true;
}

void FaultSessionReader::read(const QString &user, QObject *context, Done done)
{
    QString why;
    if (!ensureReader(&why)) {
        Reading failed;
        failed.error = why;
        return done(failed);
    }
    // A pass under way when asked answers too: a key it did not find was deleted at some
    // moment of it, and a session or token is never written again under the same id, so it
    // never shows one of them gone that is still there.
    connect(
        m_sessions, &inspect::RedisSessionReader::snapshotReady, context,
        [this, user, context, done = std::move(done)](const inspect::RedisSessionSnapshot &pass) {
            const Reading reading = userReading(pass, user);
            if (!reading.ok)
                return done(reading);
            readStarts(reading, context, done);
        },
        Qt::SingleShotConnection);
    m_sessions->refreshNow();
}

void FaultSessionReader::readStarts(const Reading &reading, QObject *context, const Done &done)
{
    QSet<QString> nodes;
    for (const Session &session : reading.sessions)
        nodes.insert(session.node);
    const auto started
        = FaultFanIn<Reading>::expect(int(nodes.size()), [reading, done](const Reading &starts) {
              if (!starts.error.isEmpty()) {
                  Reading failed;
                  failed.error = starts.error;
                  return done(failed);
              }
              Reading whole = reading;
              whole.nodeStartedMs = starts.nodeStartedMs;
              done(whole);
          });
    for (const QString &node : std::as_const(nodes))
        m_redis->command({ "HGET", kSessionKeys.node(node), "started" }, context,
            [started, node](const cluster::RedisReply &reply) {
                started->arrive([&](Reading &answer) {
                    if (reply.isString())
                        answer.nodeStartedMs.insert(node, reply.bytes().toLongLong());
                    else if (!reply.isNil() && answer.error.isEmpty())
                        answer.error = QStringLiteral("HGET started: ") + reply.errorMessage();
                });
            });
}

} // namespace sb::app
