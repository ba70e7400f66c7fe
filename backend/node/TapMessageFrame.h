#pragma once

#include <QByteArray>
#include <QString>

namespace sb::node {

// The tap frame of one MESSAGE, shared by every delivery of it on a worker. A fan-out to N
// subscribers taps N frames that differ only in session, user, subscription id, bytes and
// time; built whole per delivery (a StompFrame, then every header and the body escaped) a
// tap frame cost ~5 times the delivery itself (docs/benchmarks.md, "Tap overhead"). Here
// the shared parts are escaped once, and a delivery writes its few fields between them: the
// bytes are exactly TapEvent::fromStompFrame(StompServerFrames::message(...)).appendJson's
// (tst_tapmessageframe), so the wire format and every reader stay as they are.
class TapMessageFrame
{
public:
    // nodeUtf8 and bodyLimit: the tap hub's. destination: the subscriptions' (the frame's
    // destination header).
    TapMessageFrame(QByteArrayView nodeUtf8, int bodyLimit, const QString &destination,
        const QString &messageId, const QByteArray &body, bool replayed);

    // One delivery's frame appended to `out`. withAck: the subscription is not ack:auto,
    // so its MESSAGE carried an ack header.
    void appendDelivery(QByteArray &out, QStringView session, QStringView user, QByteArrayView subscriptionId,
        bool withAck, qint64 bytes, qint64 tsMs) const;

private:
    QByteArray m_head; // {"node":…,"session":
    QByteArray m_frame; // ,"transport":"stomp",…,"messageId":…,"ts":
    QByteArray m_headers; // ,"message-id":…,"destination":…,"content-type":…
    QByteArray m_ack; // ,"ack":…
    QByteArray m_tail; // [,"recovered":"true"]},"body":…,"truncated":…}
};

} // namespace sb::node
