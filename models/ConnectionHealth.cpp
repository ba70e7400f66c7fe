#include "models/ConnectionHealth.h"

namespace sb::models {

QString ConnectionHealth::stateName(State state)
{
    switch (state) {
    case State::NotConfigured:
        return QStringLiteral("not configured");
    case State::Connecting:
        return QStringLiteral("connecting");
    case State::Up:
        return QStringLiteral("up");
    case State::Degraded:
        return QStringLiteral("degraded");
    case State::Down:
        return QStringLiteral("down");
    }
    return QStringLiteral("unknown");
}

} // namespace sb::models
