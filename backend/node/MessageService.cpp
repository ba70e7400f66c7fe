#include "node/MessageService.h"

#include "cluster/EventBus.h"
#include "cluster/ReplayStore.h"
#include "node/Envelope.h"
#include "node/NodeServices.h"
#include "node/Router.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QRandomGenerator>

#include <chrono>

Q_LOGGING_CATEGORY(lcMessages, "sb.node.messages")

namespace sb::node {

namespace {
qint64 nowMicros()
{
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}
} // namespace

MessageService::MessageService(NodeServices *services)
    : m_services(services)
{
}

QString MessageService::newMessageId()
{
    // Time-ordered (sorts by creation) and unique across replicas without coordination.
    const quint64 random = QRandomGenerator::system()->generate64();
    return QStringLiteral("%1-%2")
        .arg(QDateTime::currentMSecsSinceEpoch(), 13, 10, QLatin1Char('0'))
        .arg(random & 0xffffffffffffULL, 12, 16, QLatin1Char('0'));
}

ChatMessage MessageService::create(const QString &sender, const QString &channel, const QString &text)
{
    Envelope envelope;
    envelope.type = Envelope::Type::Message;
    envelope.message.id = newMessageId();
    envelope.message.channel = channel;
    envelope.message.sender = sender;
    envelope.message.text = text;
    envelope.message.timestampMs = QDateTime::currentMSecsSinceEpoch();
    for (const QString &member : m_services->users.membersOf(channel))
        if (member != sender)
            envelope.recipients << member;

    const QByteArray notification = QJsonDocument(envelope.message.notificationJson()).toJson(QJsonDocument::Compact);
    for (const QString &recipient : std::as_const(envelope.recipients))
        m_services->replay->append(recipient, {envelope.message.id, QByteArrayLiteral("notification"), notification});

    envelope.publishedAtUs = nowMicros();
    m_services->bus->publish(channel.toUtf8(), envelope.toJson());
    return envelope.message;
}

void MessageService::announcePresence(const QString &user, bool online)
{
    Envelope envelope;
    envelope.type = Envelope::Type::Presence;
    envelope.presenceUser = user;
    envelope.online = online;
    envelope.publishedAtUs = nowMicros();
    m_services->bus->publish(user.toUtf8(), envelope.toJson());
}

void MessageService::deliverFromBus(const QByteArray &payload)
{
    QString error;
    auto envelope = Envelope::fromJson(payload, &error);
    if (!envelope) {
        qCWarning(lcMessages) << "dropping an undecodable envelope:" << error;
        m_services->metrics.dropped(QByteArrayLiteral("bad_envelope"));
        return;
    }
    m_services->router->broadcast(std::make_shared<const Envelope>(std::move(*envelope)));
}

} // namespace sb::node
