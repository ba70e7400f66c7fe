#include "app/FaultRevokeWatch.h"

#include "app/FaultEventLog.h"
#include "app/FaultPolling.h"

#include <QMap>
#include <QPointer>
#include <QTimer>

#include <memory>

namespace sb::app {

namespace {
// "node-1: 2, node-2: 1" for sessions id → node.
QString revokedPerReplica(const QHash<QString, QString> &nodes)
{
    QMap<QString, int> counts;
    for (const QString &node : nodes)
        ++counts[node];
    QStringList parts;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        parts << QStringLiteral("%1: %2").arg(it.key()).arg(it.value());
    return parts.join(QStringLiteral(", "));
}
} // namespace

struct FaultRevokeWatch::Revocation
{
    int eventId = 0;
    QPointer<QObject> watch;
    QString user;
    int beforeTries = 0;
    Reading before;
    Reading last; // the latest reading after the event was delivered
    bool delivered = false;
};

FaultRevokeWatch::FaultRevokeWatch(
    FaultEventLog *log, std::function<QSet<QString>()> runningReplicas, SessionRead read, QObject *parent)
    : QObject(parent)
    , m_log(log)
    , m_runningReplicas(std::move(runningReplicas))
    , m_read(std::move(read))
{ }

void FaultRevokeWatch::revoke(int eventId, QObject *watch, int deadlineMs, const QString &user, Send send)
{
    auto state = std::make_shared<Revocation>();
    state->eventId = eventId;
    state->watch = watch;
    state->user = user;
    // At the deadline, what is still open, by name: the event log says what did not happen.
    QTimer::singleShot(deadlineMs, watch, [this, state, deadlineMs] {
        QString what;
        if (!state->delivered) {
            what = QStringLiteral("the RoleUpdatedEvent not delivered within %1 s").arg(deadlineMs / 1000);
        } else {
            const QHash<QString, QString> open = stillOpen(*state);
            QStringList sessions;
            for (auto it = open.cbegin(); it != open.cend(); ++it)
                sessions << QStringLiteral("%1 on %2").arg(it.key(), it.value());
            sessions.sort();
            what = QStringLiteral("still open after %1 s: %2 of %3 session(s) of %4 (%5); %6 of %7 token(s) "
                                  "not revoked")
                       .arg(deadlineMs / 1000)
                       .arg(open.size())
                       .arg(state->before.sessions.size())
                       .arg(state->user, sessions.join(QStringLiteral(", ")))
                       .arg(stillValid(*state))
                       .arg(state->before.tokens.size());
        }
        m_log->finish(state->eventId, FaultEventLog::EffectState::NotObserved, what);
        state->watch->deleteLater();
    });
    // Before the event: what the user holds. The first reads may find the connection not
    // made yet; after kBeforeReadTries the event goes anyway, and the watch says why it
    // cannot judge it.
    pollAfterEachAnswer(watch, m_pollMs, [this, state, send](const std::function<void(bool)> &answered) {
        m_read(state->user, state->watch, [this, state, send, answered](const Reading &reading) {
            if (!reading.ok && ++state->beforeTries < kBeforeReadTries)
                return answered(false);
            answered(true);
            state->before = reading;
            if (reading.ok) {
                QHash<QString, QString> nodes;
                for (auto it = reading.sessions.cbegin(); it != reading.sessions.cend(); ++it)
                    nodes.insert(it.key(), it.value().node);
                m_log->observe(state->eventId,
                    QStringLiteral("before: %1 live session(s) of %2%3, %4 token(s)")
                        .arg(nodes.size())
                        .arg(state->user,
                            nodes.isEmpty() ? QString()
                                            : QStringLiteral(" (%1)").arg(revokedPerReplica(nodes)))
                        .arg(reading.tokens.size()));
            } else {
                m_log->observe(state->eventId,
                    QStringLiteral("%1's sessions not read before: %2").arg(state->user, reading.error));
            }
            sendAndFollow(state, send);
        });
    });
}

void FaultRevokeWatch::sendAndFollow(const std::shared_ptr<Revocation> &state, Send send)
{
    send([this, state](const QString &error) {
        if (!state->watch)
            return;
        if (!error.isEmpty()) {
            m_log->finish(state->eventId, FaultEventLog::EffectState::NotObserved,
                QStringLiteral("not delivered: ") + error);
            return state->watch->deleteLater();
        }
        state->delivered = true;
        if (!state->before.ok) {
            m_log->finish(state->eventId, FaultEventLog::EffectState::NotObserved,
                QStringLiteral("delivered; whether %1's sessions closed is unknown (%2)")
                    .arg(state->user, state->before.error));
            return state->watch->deleteLater();
        }
        m_log->observe(state->eventId, QStringLiteral("delivered"));
        follow(state);
    });
}

QHash<QString, QString> FaultRevokeWatch::stillOpen(const Revocation &state) const
{
    const QSet<QString> running = m_runningReplicas();
    QHash<QString, QString> open;
    for (auto it = state.before.sessions.cbegin(); it != state.before.sessions.cend(); ++it) {
        const auto now = state.last.sessions.constFind(it.key());
        if (!state.last.ok || now == state.last.sessions.cend())
            continue; // its key deleted: the replica closed the session
        if (!running.contains(now->node))
            continue; // ended with its replica; Redis keeps the key until its TTL
        // Left by an earlier run of the replica (killed, then started again): not held now.
        const qint64 started = state.last.nodeStartedMs.value(now->node, -1);
        if (started > 0 && now->sinceMs < started)
            continue;
        open.insert(it.key(), now->node);
    }
    return open;
}

qsizetype FaultRevokeWatch::stillValid(const Revocation &state)
{
    if (!state.last.ok)
        return state.before.tokens.size(); // nothing read since the event
    qsizetype valid = 0;
    for (const QString &jti : state.before.tokens)
        valid += state.last.tokens.contains(jti) ? 1 : 0;
    return valid;
}

void FaultRevokeWatch::follow(const std::shared_ptr<Revocation> &state)
{
    pollAfterEachAnswer(state->watch, m_pollMs, [this, state](const std::function<void(bool)> &answered) {
        m_read(state->user, state->watch, [this, state, answered](const Reading &reading) {
            if (!reading.ok)
                return answered(false);
            state->last = reading;
            if (!stillOpen(*state).isEmpty() || stillValid(*state) > 0)
                return answered(false);
            answered(true);
            QHash<QString, QString> closed;
            for (auto it = state->before.sessions.cbegin(); it != state->before.sessions.cend(); ++it)
                closed.insert(it.key(), it.value().node);
            int since = 0; // sessions of a new login, after the event
            for (auto it = reading.sessions.cbegin(); it != reading.sessions.cend(); ++it)
                since += state->before.sessions.contains(it.key()) ? 0 : 1;
            QString what = closed.isEmpty()
                ? QStringLiteral("no live session of %1 to close").arg(state->user)
                : QStringLiteral("%1 session(s) of %2 closed (%3)")
                      .arg(closed.size())
                      .arg(state->user, revokedPerReplica(closed));
            what += QStringLiteral("; %1 token(s) revoked").arg(state->before.tokens.size());
            if (since > 0)
                what += QStringLiteral("; %1 new session(s) since (logged in again)").arg(since);
            m_log->finish(state->eventId, FaultEventLog::EffectState::Observed, what);
            state->watch->deleteLater();
        });
    });
}

} // namespace sb::app
