#include "app/FaultSessionReader.h"

#include "app/FaultFanIn.h"
#include "cluster/RedisConnection.h"
#include "cluster/RedisKeys.h"
#include "cluster/RedisUrl.h"

#include <QPointer>
#include <QSet>

namespace sb::app {

namespace {
constexpr int kSessionScanCount = 1000;
const cluster::RedisKeys kSessionKeys; // the replicas' default prefix, as the devcluster runs them
} // namespace

struct FaultSessionReader::Pass
{
    QString user;
    QStringList tokens;
    QPointer<QObject> context;
    Done done;
    QList<QByteArray> sessionKeys;
    Reading reading;

    void fail(const QString &why)
    {
        reading.ok = false;
        reading.error = why;
        done(reading);
    }
};

FaultSessionReader::FaultSessionReader(std::function<QString()> redisUrl, QObject *parent)
    : QObject(parent)
    , m_redisUrl(std::move(redisUrl))
{
    m_thread.setObjectName(QStringLiteral("fault-session-reader"));
}

FaultSessionReader::~FaultSessionReader()
{
    // The connection is deleted on its own thread as it ends (QThread::finished).
    if (m_thread.isRunning()) {
        m_thread.quit();
        m_thread.wait();
    }
}

bool FaultSessionReader::ensureConnection(QString *why)
{
    if (m_redis)
        return true;
    const cluster::RedisUrl url = cluster::RedisUrl::parse(m_redisUrl());
    if (!url.isValid()) {
        *why = QStringLiteral("no Redis to read the sessions from: ") + url.errorString();
        return false;
    }
    cluster::RedisConnectionOptions options;
    options.name = QStringLiteral("switchboard-faults");
    m_redis = new cluster::RedisConnection(url, options);
    m_redis->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_redis, &QObject::deleteLater);
    m_thread.start();
    m_redis->open(); // the first reads fail fast (not connected) until it is: the watch asks again
    return true;
}

void FaultSessionReader::read(const QString &user, const QStringList &tokens, QObject *context, Done done)
{
    auto pass = std::make_shared<Pass>();
    pass->user = user;
    pass->tokens = tokens;
    pass->context = context;
    pass->done = std::move(done);
    QString why;
    if (!ensureConnection(&why))
        return pass->fail(why);
    scan(pass, QByteArrayLiteral("0"));
}

void FaultSessionReader::scan(const std::shared_ptr<Pass> &pass, const QByteArray &cursor)
{
    if (!pass->context)
        return;
    m_redis->command({ "SCAN", cursor, "MATCH", kSessionKeys.session(QStringLiteral("*")), "COUNT",
                         QByteArray::number(kSessionScanCount) },
        pass->context, [this, pass](const cluster::RedisReply &reply) {
            if (!reply.isArray() || reply.size() != 2)
                return pass->fail(QStringLiteral("SCAN: ") + reply.errorMessage());
            for (const cluster::RedisReply &key : reply.elements().at(1).elements())
                pass->sessionKeys.append(key.bytes());
            const QByteArray next = reply.elements().at(0).bytes();
            if (next == "0")
                return readKeys(pass);
            scan(pass, next);
        });
}

void FaultSessionReader::readKeys(const std::shared_ptr<Pass> &pass)
{
    // Each session's user, node and since; the user's token index; whether each token asked
    // about still exists; pipelined, answered together.
    const int expected = int(pass->sessionKeys.size() + pass->tokens.size()) + 1;
    const auto answers = FaultFanIn<Reading>::expect(expected, [this, pass](const Reading &reading) {
        pass->reading = reading;
        if (!reading.error.isEmpty())
            return pass->fail(reading.error);
        QSet<QString> nodes;
        for (const Session &session : reading.sessions)
            nodes.insert(session.node);
        // Then when each of their replicas' current run started.
        const auto started
            = FaultFanIn<Reading>::expect(int(nodes.size()), [pass](const Reading &withStarts) {
                  if (!withStarts.error.isEmpty())
                      return pass->fail(withStarts.error);
                  pass->reading.nodeStartedMs = withStarts.nodeStartedMs;
                  pass->reading.ok = true;
                  pass->done(pass->reading);
              });
        for (const QString &node : std::as_const(nodes))
            m_redis->command({ "HGET", kSessionKeys.node(node), "started" }, pass->context,
                [started, node](const cluster::RedisReply &reply) {
                    started->arrive([&](Reading &answer) {
                        if (reply.isString())
                            answer.nodeStartedMs.insert(node, reply.bytes().toLongLong());
                        else if (!reply.isNil())
                            answer.error = QStringLiteral("HGET started: ") + reply.errorMessage();
                    });
                });
    });
    const auto failed = [](Reading &answer, const char *command, const cluster::RedisReply &reply) {
        if (answer.error.isEmpty())
            answer.error = QLatin1String(command) + QStringLiteral(": ") + reply.errorMessage();
    };
    const qsizetype prefix = kSessionKeys.session(QString()).size();
    for (const QByteArray &key : std::as_const(pass->sessionKeys))
        m_redis->command({ "HMGET", key, "user", "node", "since" }, pass->context,
            [answers, failed, pass, id = QString::fromUtf8(key.mid(prefix))](
                const cluster::RedisReply &reply) {
                answers->arrive([&](Reading &answer) {
                    if (!reply.isArray() || reply.size() != 3)
                        return failed(answer, "HMGET", reply);
                    // A key gone since the SCAN answers nils: a session that ended meanwhile.
                    if (QString::fromUtf8(reply.elements().at(0).bytes()) == pass->user)
                        answer.sessions.insert(id,
                            { QString::fromUtf8(reply.elements().at(1).bytes()),
                                reply.elements().at(2).bytes().toLongLong() });
                });
            });
    m_redis->command({ "SMEMBERS", kSessionKeys.userTokens(pass->user) }, pass->context,
        [answers, failed](const cluster::RedisReply &reply) {
            answers->arrive([&](Reading &answer) {
                if (!reply.isArray())
                    return failed(answer, "SMEMBERS", reply);
                for (const cluster::RedisReply &jti : reply.elements())
                    answer.indexedTokens.append(QString::fromUtf8(jti.bytes()));
            });
        });
    for (const QString &jti : std::as_const(pass->tokens))
        m_redis->command({ "EXISTS", kSessionKeys.token(jti) }, pass->context,
            [answers, failed, jti](const cluster::RedisReply &reply) {
                answers->arrive([&](Reading &answer) {
                    if (!reply.isInteger())
                        return failed(answer, "EXISTS", reply);
                    if (reply.toInteger() == 1)
                        answer.liveTokens.append(jti);
                });
            });
}

} // namespace sb::app
