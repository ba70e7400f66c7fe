#include "node/MessageService.h"

#include "cluster/BusHop.h"
#include "cluster/EventBus.h"
#include "cluster/ReplayStore.h"
#include "node/Envelope.h"
#include "node/NodeMetrics.h"
#include "node/TapHub.h"
#include "node/UserDirectory.h"
#include "node/WallClock.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QRandomGenerator>

#include <atomic>

Q_LOGGING_CATEGORY(lcMessages, "sb.node.messages")

namespace sb::node {

namespace {
// The record this thread is publishing, while the bus's publish call runs. A bus that hands
// the record back within that call (LocalEventBus: stage 1, then stage 2) gets the envelope
// it came from instead of decoding the bytes twice (two JSON parses and a serialisation a
// message: docs/benchmarks.md, "Instructions per delivery"). The bytes are matched by
// address: while they are held here their buffer cannot be freed and reused, so the same
// address is the same bytes; any other bus hands over bytes of its own, and decodes them.
struct PublishedRecord
{
    QByteArray payload;
    EnvelopePtr envelope;
};
thread_local const PublishedRecord *t_publishing = nullptr;

class PublishingOnThisThread
{
public:
    explicit PublishingOnThisThread(const PublishedRecord *record)
        : m_outer(t_publishing)
    {
        t_publishing = record;
    }
    ~PublishingOnThisThread() { t_publishing = m_outer; }
    PublishingOnThisThread(const PublishingOnThisThread &) = delete;
    PublishingOnThisThread &operator=(const PublishingOnThisThread &) = delete;

private:
    const PublishedRecord *m_outer;
};

EnvelopePtr envelopeOf(const QByteArray &payload, QString *error)
{
    if (t_publishing && t_publishing->payload.constData() == payload.constData()
        && t_publishing->payload.size() == payload.size())
        return t_publishing->envelope;
    auto decoded = Envelope::fromJson(payload, error);
    return decoded ? std::make_shared<const Envelope>(std::move(*decoded)) : nullptr;
}
} // namespace

MessageService::MessageService(const UserDirectory *users, cluster::EventBus *bus,
    cluster::ReplayStore *replay, NodeMetrics *metrics, TapHub *tap, LocalDelivery deliverLocally)
    : m_users(users)
    , m_bus(bus)
    , m_replay(replay)
    , m_metrics(metrics)
    , m_tap(tap)
    , m_deliverLocally(std::move(deliverLocally))
{ }

QString MessageService::newMessageId()
{
    // "<13-digit ms>-<4 hex process tag><8 hex sequence>". Time-ordered as documented
    // (docs/protocol.md): a random suffix alone made ids created in the same millisecond
    // sort at random, so clients (and replay) could not rely on their order. The sequence
    // restarts each millisecond and never goes back even if the wall clock does; the
    // process tag keeps replicas from colliding without any coordination.
    static const quint32 processTag = QRandomGenerator::system()->generate() & 0xffffu;
    // (ms << 22) | sequence: 42 bits of milliseconds last until about 2109, and 4 million
    // ids per millisecond per process; a sequence that runs over carries into the next
    // millisecond, so the order still holds. (ms << 32 overflowed 64 bits: the id carried
    // ms mod 2^32, which wraps every 49.7 days.)
    constexpr int kSequenceBits = 22;
    static std::atomic<quint64> last { 0 };
    const quint64 now = quint64(QDateTime::currentMSecsSinceEpoch()) << kSequenceBits;
    quint64 previous = last.load(std::memory_order_relaxed);
    quint64 next = 0;
    do {
        next = qMax(now, previous + 1);
    } while (!last.compare_exchange_weak(previous, next, std::memory_order_relaxed));
    return QStringLiteral("%1-%2%3")
        .arg(qint64(next >> kSequenceBits), 13, 10, QLatin1Char('0'))
        .arg(processTag, 4, 16, QLatin1Char('0'))
        .arg(quint32(next & ((quint64(1) << kSequenceBits) - 1)), 8, 16, QLatin1Char('0'));
}

MessageService::Creation MessageService::create(const QString &sender, const QString &channel,
    const QString &text, cluster::EventBus::Acknowledgement acknowledged)
{
    auto created = std::make_shared<Envelope>();
    Envelope &envelope = *created; // not changed once published: the workers share it
    envelope.type = Envelope::Type::Message;
    envelope.message.id = newMessageId();
    envelope.message.channel = channel;
    envelope.message.sender = sender;
    envelope.message.text = text;
    envelope.message.timestampMs = QDateTime::currentMSecsSinceEpoch();
    for (const QString &member : m_users->membersOf(channel))
        if (member != sender)
            envelope.recipients << member;
    envelope.messageJson = envelope.message.toJsonBytes(); // the one serialisation of the message

    envelope.publishedAtUs = wallClockMicros();
    NodeMetrics *metrics = m_metrics; // lives as long as the node's services
    auto counted
        = [metrics, id = envelope.message.id, verdict = std::move(acknowledged)](const QString &error) {
              if (!error.isEmpty()) {
                  qCWarning(lcMessages) << "message" << id << "was not stored by stage 1:" << error;
                  metrics->dropped(QByteArrayLiteral("publish_failed"));
              }
              if (verdict)
                  verdict(error);
          };
    Creation creation { envelope.message, cluster::PublishAdmission::Refused };
    const PublishedRecord record { envelope.toJson(), std::move(created) };
    {
        const PublishingOnThisThread publishing(&record);
        creation.admission = m_bus->publishAcknowledged(channel.toUtf8(), record.payload, std::move(counted));
    }
    if (creation.admission == cluster::PublishAdmission::QueueFull) {
        qCWarning(lcMessages) << "the bus queue is full: message" << envelope.message.id
                              << "refused (Kafka unreachable?)";
        m_metrics->dropped(QByteArrayLiteral("publish_queue_full"));
    } else if (creation.admission == cluster::PublishAdmission::Refused) {
        qCWarning(lcMessages) << "the bus refused message" << envelope.message.id;
        m_metrics->dropped(QByteArrayLiteral("bus_refused"));
    }
    return creation;
}

void MessageService::announcePresence(const QString &user, bool online)
{
    Envelope envelope;
    envelope.type = Envelope::Type::Presence;
    envelope.presenceUser = user;
    envelope.online = online;
    envelope.publishedAtUs = wallClockMicros();
    if (!m_bus->publish(user.toUtf8(), envelope.toJson()))
        m_metrics->dropped(QByteArrayLiteral("bus_refused"));
}

bool MessageService::persistFromBus(const QByteArray &payload, const cluster::BusHop &hop, QString *error)
{
    const EnvelopePtr envelope = envelopeOf(payload, error);
    if (!envelope)
        return false;
    if (hop.medium != cluster::BusHop::Medium::Local && m_tap->wants())
        tapHop(QByteArrayLiteral("STAGE1"), hop, *envelope, payload);
    if (envelope->type != Envelope::Type::Message)
        return true; // presence changes are live only
    const ChatMessage &message = envelope->message;
    cluster::PersistRequest request;
    request.messageId = message.id;
    request.channel = message.channel;
    request.channelEvent = { message.id, QByteArrayLiteral("message"), envelope->messageBytes() };
    const QByteArray notification = envelope->notificationBytes();
    for (const QString &recipient : std::as_const(envelope->recipients))
        request.userEvents.append(
            { recipient, { message.id, QByteArrayLiteral("notification"), notification } });
    return m_replay->persistOnce(request, error);
}

void MessageService::deliverFromBus(const QByteArray &payload, const cluster::BusHop &hop)
{
    QString error;
    const EnvelopePtr envelope = envelopeOf(payload, &error);
    if (!envelope) {
        qCWarning(lcMessages) << "dropping an undecodable envelope:" << error;
        m_metrics->dropped(QByteArrayLiteral("bad_envelope"));
        return;
    }
    const bool duplicate
        = envelope->type == Envelope::Type::Message && !m_delivered.insert(envelope->message.id);
    // Tapped before the workers get it, so a reader sees BROADCAST ahead of its deliveries;
    // a duplicate too (marked), since it is the bus that repeated itself.
    if (hop.medium != cluster::BusHop::Medium::Local && m_tap->wants())
        tapHop(QByteArrayLiteral("BROADCAST"), hop, *envelope, payload, duplicate);
    if (duplicate) {
        m_metrics->dropped(QByteArrayLiteral("duplicate_broadcast"));
        return; // a redelivered broadcast: already sent to this replica's clients
    }
    m_deliverLocally(envelope);
}

void MessageService::tapHop(const QByteArray &command, const cluster::BusHop &hop, const Envelope &envelope,
    const QByteArray &payload, bool duplicate) const
{
    const bool kafka = hop.medium == cluster::BusHop::Medium::Kafka;
    const bool message = envelope.type == Envelope::Type::Message;
    TapEvent event;
    event.tsMs = QDateTime::currentMSecsSinceEpoch();
    event.transport = kafka ? QByteArrayLiteral("kafka") : QByteArrayLiteral("redis");
    event.direction = QByteArrayLiteral("in");
    event.command = command;
    event.destination = QString::fromUtf8(hop.topic);
    if (message)
        event.messageId = envelope.message.id;
    event.bytes = payload.size();
    if (kafka) {
        event.headers.append({ QByteArrayLiteral("partition"), QByteArray::number(hop.partition) });
        event.headers.append({ QByteArrayLiteral("offset"), QByteArray::number(hop.offset) });
        event.headers.append({ QByteArrayLiteral("key"), hop.key.toByteArray() });
    }
    event.headers.append({ QByteArrayLiteral("type"),
        message ? QByteArrayLiteral("message") : QByteArrayLiteral("presence") });
    if (message)
        event.headers.append({ QByteArrayLiteral("channel"), envelope.message.channel.toUtf8() });
    if (duplicate)
        event.headers.append({ QByteArrayLiteral("duplicate"), QByteArrayLiteral("true") });
    event.body = payload;
    m_tap->publish(event);
}

} // namespace sb::node
