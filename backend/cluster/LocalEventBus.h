#pragma once

#include "cluster/EventBus.h"

namespace sb::cluster {

// EventBus for a single process: publish() calls the handler directly.
class LocalEventBus : public EventBus
{
public:
    void setHandler(Handler handler) override { m_handler = std::move(handler); }
    void publish(const QByteArray &, const QByteArray &payload) override
    {
        if (m_handler)
            m_handler(payload);
    }

private:
    Handler m_handler;
};

} // namespace sb::cluster
