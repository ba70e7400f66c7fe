#pragma once

#include "cluster/RedisConnection.h"
#include "support/RedisServerProcess.h"

#include <QDeadlineTimer>
#include <QTest>

#include <memory>
#include <optional>

// Small helpers shared by the Redis integration tests.
namespace sb::testing {

// Sends argv and spins the event loop until its reply (or timeout: nullopt). The
// result lives in a shared_ptr so a reply arriving after a timeout writes nowhere bad.
inline std::optional<sb::cluster::RedisReply> call(
    sb::cluster::RedisConnection &connection, QList<QByteArray> argv, QObject *context, int timeoutMs = 5000)
{
    auto result = std::make_shared<std::optional<sb::cluster::RedisReply>>();
    connection.command(std::move(argv), context, [result](const sb::cluster::RedisReply &r) { *result = r; });
    const QDeadlineTimer deadline(timeoutMs);
    while (!result->has_value() && !deadline.hasExpired())
        QTest::qWait(2);
    return *result;
}

// Message for QVERIFY2 when a server does not start: says what to install.
inline QByteArray startFailure(const RedisServerProcess &server)
{
    const QString message = u"redis-server fixture failed: " + server.errorString();
    return message.toUtf8();
}

} // namespace sb::testing
