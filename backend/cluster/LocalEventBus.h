#pragma once

#include "cluster/EventBus.h"

namespace sb::cluster {

// EventBus for a single process: publish() persists, then delivers, synchronously.
class LocalEventBus : public EventBus
{
public:
    void setPersistHandler(PersistHandler handler) override { m_persist = std::move(handler); }
    void setHandler(Handler handler) override { m_handler = std::move(handler); }
    void publish(const QByteArray &, const QByteArray &payload) override
    {
        QString error;
        if (m_persist && !m_persist(payload, &error))
            return; // nothing to retry against in one process; the caller's metric counts it
        if (m_handler)
            m_handler(payload);
    }

private:
    PersistHandler m_persist;
    Handler m_handler;
};

} // namespace sb::cluster
