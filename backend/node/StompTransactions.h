#pragma once

#include "protocol/StompFrame.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

#include <optional>

namespace sb::node {

// A STOMP session's open transactions (BEGIN … COMMIT/ABORT): the SENDs held until COMMIT,
// bounded in number and size. Pure bookkeeping; every refusal comes back as the ERROR
// message to send and the reason to count.
class StompTransactions
{
public:
    static constexpr int kMaxOpen = 10;
    static constexpr int kMaxFrames = 100;

    struct Refusal
    {
        QString message;
        QByteArray dropReason;
    };

    std::optional<Refusal> begin(const QByteArray &name);
    std::optional<Refusal> hold(const QByteArray &name, const protocol::StompFrame &send);
    // COMMIT or ABORT: the transaction ends; its SENDs are returned (to apply, or to drop).
    std::optional<QList<protocol::StompFrame>> end(const QByteArray &name, Refusal *refusal);

private:
    QHash<QByteArray, QList<protocol::StompFrame>> m_open;
};

} // namespace sb::node
