#include "inspect/RedisKeyspaceWatcher.h"

#include "cluster/RedisConnection.h"
#include "cluster/RedisSubscriber.h"
#include "inspect/RedisInspectLog.h"

#include <QTimer>

namespace sb::inspect {

using sb::cluster::RedisConnection;
using sb::cluster::RedisReply;
using sb::cluster::RedisSubscriber;

RedisKeyspaceWatcher::RedisKeyspaceWatcher(
    RedisConnection *connection, sb::cluster::RedisUrl url, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_url(std::move(url))
    , m_flushTimer(new QTimer(this))
{
    qRegisterMetaType<sb::inspect::RedisNotificationState>();
    m_flushTimer->setSingleShot(true);
    m_flushTimer->setInterval(FlushMs);
    // The timer closes a window: a size-triggered flush() inside it keeps the window's count.
    connect(m_flushTimer, &QTimer::timeout, this, [this] {
        flush();
        m_keysThisWindow = 0;
        if (m_state.eventsDropped != m_droppedReported) {
            m_droppedReported = m_state.eventsDropped;
            emit stateChanged(m_state);
        }
    });
    m_channelPrefix = "__keyspace@" + QByteArray::number(m_url.database()) + "__:";
    connect(m_connection, &RedisConnection::disconnected, this, &RedisKeyspaceWatcher::onDisconnected);
}

RedisKeyspaceWatcher::~RedisKeyspaceWatcher() = default;

void RedisKeyspaceWatcher::check()
{
    QMetaObject::invokeMethod(this, &RedisKeyspaceWatcher::checkHere, Qt::QueuedConnection);
}

void RedisKeyspaceWatcher::stop()
{
    QMetaObject::invokeMethod(
        this,
        [this] {
            delete m_subscriber;
            m_subscriber = nullptr;
            m_changed.clear();
        },
        Qt::QueuedConnection);
}

bool RedisKeyspaceWatcher::keyspaceEventsOn(const QString &flags)
{
    if (!flags.contains(u'K'))
        return false;
    for (const QChar c : QStringLiteral("Ag$lshzxetdmn"))
        if (flags.contains(c))
            return true;
    return false;
}

QString RedisKeyspaceWatcher::suggestedFlags(const QString &current)
{
    // K (keyspace channels) and A (every key type: sets, lists and streams appear as
    // keys too, and the cluster's own token indexes and replay streams are such); the
    // application's own flags stay.
    QString flags = current;
    for (const QChar c : QStringLiteral("KA"))
        if (!flags.contains(c))
            flags += c;
    return flags;
}

void RedisKeyspaceWatcher::checkHere()
{
    m_connection->command(
        { "CONFIG", "GET", "notify-keyspace-events" }, this, [this](const RedisReply &reply) {
            RedisNotificationState state;
            if (reply.isError() || !reply.isArray() || reply.size() < 2) {
                state.mode = RedisNotificationState::Mode::Unavailable;
                state.text = u"Cannot read notify-keyspace-events ("
                    + (reply.isError() ? reply.errorMessage() : QStringLiteral("CONFIG GET answered nothing"))
                    + u"): the rows on screen refresh every few seconds instead of live.";
                setState(state);
                return;
            }
            state.flags = QString::fromLatin1(reply.at(1).bytes());
            if (keyspaceEventsOn(state.flags)) {
                state.mode = RedisNotificationState::Mode::Enabled;
                state.text = u"Live: keyspace notifications are on (notify-keyspace-events = \"" + state.flags
                    + u"\").";
                setState(state);
                subscribe();
                return;
            }
            state.mode = RedisNotificationState::Mode::Disabled;
            state.enableCommand = u"CONFIG SET notify-keyspace-events " + suggestedFlags(state.flags);
            state.text = u"Keyspace notifications are off on this server (notify-keyspace-events = \""
                + state.flags
                + u"\"), so only the rows on screen refresh, every few seconds. To follow changes live, an "
                  u"operator may run: "
                + state.enableCommand;
            delete m_subscriber;
            m_subscriber = nullptr;
            setState(state);
        });
}

void RedisKeyspaceWatcher::onDisconnected(const QString &reason)
{
    // Whatever was true of the server's notifications, nothing follows it now; the
    // subscriber reconnects on its own, and the owner calls check() once Redis answers.
    RedisNotificationState state;
    state.mode = RedisNotificationState::Mode::Unavailable;
    state.flags = m_state.flags;
    state.text = u"Not live: Redis is unreachable (" + reason
        + u"). Keyspace notifications are checked again when it answers.";
    if (m_state.mode == state.mode && m_state.text == state.text)
        return; // the same outage, one more failed attempt
    setState(state);
}

void RedisKeyspaceWatcher::subscribe()
{
    if (m_subscriber)
        return;
    sb::cluster::RedisConnectionOptions options;
    options.name = QStringLiteral("switchboard-console-notifications");
    m_subscriber = new RedisSubscriber(m_url, options, this);
    connect(m_subscriber, &RedisSubscriber::patternMessage, this,
        [this](const QByteArray &, const QByteArray &channel, const QByteArray &) { onMessage(channel); });
    m_subscriber->psubscribe(m_channelPrefix + '*');
    m_subscriber->open();
}

void RedisKeyspaceWatcher::onMessage(const QByteArray &channel)
{
    if (!channel.startsWith(m_channelPrefix))
        return;
    if (m_keysThisWindow >= MaxKeysPerWindow) {
        // Following every key of a flood would cost more than it shows; the count says so.
        ++m_state.eventsDropped;
        return;
    }
    const qsizetype before = m_changed.size();
    m_changed.insert(channel.mid(m_channelPrefix.size()));
    m_keysThisWindow += m_changed.size() - before;
    if (m_changed.size() >= MaxKeysPerFlush)
        flush();
    else if (!m_flushTimer->isActive())
        m_flushTimer->start();
}

void RedisKeyspaceWatcher::flush()
{
    if (m_changed.isEmpty())
        return;
    const QList<QByteArray> keys(m_changed.cbegin(), m_changed.cend());
    m_changed.clear();
    emit keysChanged(keys);
}

void RedisKeyspaceWatcher::setState(RedisNotificationState state)
{
    state.eventsDropped = m_state.eventsDropped;
    m_state = std::move(state);
    qCInfo(lcInspectRedis).noquote() << m_state.text;
    emit stateChanged(m_state);
}

} // namespace sb::inspect
