#include "inspect/RedisConnectionCheck.h"

#include "cluster/RedisConnection.h"

#include <QLocale>
#include <QTimer>

namespace sb::inspect {

RedisConnectionCheck::RedisConnectionCheck(cluster::RedisUrl url, int timeoutMs, QObject *parent)
    : QObject(parent)
    , m_url(std::move(url))
    , m_timeoutMs(timeoutMs)
{
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this,
        [this] { finish(false, QStringLiteral("no answer within %1 s").arg(m_timeoutMs / 1000.0)); });
}

RedisConnectionCheck::~RedisConnectionCheck()
{
    if (m_connection)
        m_connection->close();
}

void RedisConnectionCheck::start()
{
    if (!m_url.isValid()) {
        // Queued, like every other answer: a caller connects after start() returns.
        QMetaObject::invokeMethod(
            this, [this] { finish(false, m_url.errorString()); }, Qt::QueuedConnection);
        return;
    }
    cluster::RedisConnectionOptions options;
    options.name = QStringLiteral("switchboard-console-check");
    options.connectTimeout = std::chrono::milliseconds(m_timeoutMs);
    m_connection = new cluster::RedisConnection(m_url, options, this);
    connect(m_connection, &cluster::RedisConnection::connected, this, [this] {
        m_connection->command({ "DBSIZE" }, this, [this](const cluster::RedisReply &reply) {
            if (reply.isError()) {
                finish(false, QStringLiteral("logged in, but DBSIZE was refused: ") + reply.errorMessage());
                return;
            }
            const QString who
                = m_url.userName().isEmpty() ? QString() : QStringLiteral(" as %1").arg(m_url.userName());
            finish(true,
                QStringLiteral("%1 answers%2; DBSIZE %3")
                    .arg(m_url.redacted(), who, QLocale().toString(reply.toInteger())));
        });
    });
    // The first failure is the answer: the connection would otherwise retry forever.
    connect(m_connection, &cluster::RedisConnection::disconnected, this,
        [this](const QString &reason) { finish(false, reason); });
    m_deadline.start(m_timeoutMs);
    m_connection->open();
}

void RedisConnectionCheck::finish(bool ok, const QString &detail)
{
    if (m_done)
        return;
    m_done = true;
    m_deadline.stop();
    // Closed from the event loop, not from inside the connection's own signal: it
    // schedules its retry after emitting disconnected().
    if (m_connection)
        QTimer::singleShot(0, m_connection, [connection = m_connection] { connection->close(); });
    emit finished(ok, detail);
}

} // namespace sb::inspect
