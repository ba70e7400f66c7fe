#pragma once

#include "cluster/EventBus.h"

namespace sb::cluster {

// EventBus for a single process: publish() persists, then delivers, synchronously.
class LocalEventBus : public EventBus
{
public:
    void setPersistHandler(PersistHandler handler) override { m_persist = std::move(handler); }
    void setHandler(Handler handler) override { m_handler = std::move(handler); }
    bool publish(const QByteArray &, const QByteArray &payload) override
    {
        QString error;
        const BusHop hop; // Medium::Local: nothing travelled
        if (m_persist && !m_persist(payload, hop, &error))
            return false; // nothing to retry against in one process
        if (m_handler)
            m_handler(payload, hop);
        return true;
    }

private:
    PersistHandler m_persist;
    Handler m_handler;
};

} // namespace sb::cluster
