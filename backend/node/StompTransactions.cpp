#include "node/StompTransactions.h"

namespace sb::node {

namespace {
StompTransactions::Refusal unknown(const QByteArray &name)
{
    return { QStringLiteral("unknown transaction '%1'").arg(QString::fromUtf8(name)),
        QByteArrayLiteral("bad_frame") };
}
} // namespace

std::optional<StompTransactions::Refusal> StompTransactions::begin(const QByteArray &name)
{
    if (m_open.contains(name))
        return Refusal { QStringLiteral("transaction '%1' already begun").arg(QString::fromUtf8(name)),
            QByteArrayLiteral("bad_frame") };
    if (m_open.size() >= kMaxOpen)
        return Refusal { QStringLiteral("too many open transactions (limit %1)").arg(kMaxOpen),
            QByteArrayLiteral("bad_frame") };
    m_open.insert(name, {});
    return std::nullopt;
}

std::optional<StompTransactions::Refusal> StompTransactions::hold(
    const QByteArray &name, const protocol::StompFrame &send)
{
    const auto it = m_open.find(name);
    if (it == m_open.end())
        return unknown(name);
    if (it->size() >= kMaxFrames)
        return Refusal { QStringLiteral("too many frames in transaction (limit %1)").arg(kMaxFrames),
            QByteArrayLiteral("transaction_too_large") };
    it->append(send);
    return std::nullopt;
}

std::optional<QList<protocol::StompFrame>> StompTransactions::end(const QByteArray &name, Refusal *refusal)
{
    const auto it = m_open.find(name);
    if (it == m_open.end()) {
        *refusal = unknown(name);
        return std::nullopt;
    }
    QList<protocol::StompFrame> frames = std::move(*it);
    m_open.erase(it);
    return frames;
}

} // namespace sb::node
