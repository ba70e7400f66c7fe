#pragma once

#include <QMetaType>
#include <QString>

namespace sb::models {

// The health of one connection the console holds (Redis, Kafka, replicas, tap).
struct ConnectionHealth
{
    enum class State { NotConfigured, Connecting, Up, Degraded, Down };

    State state = State::NotConfigured;
    QString detail; // a sentence the operator can act on, e.g. "connection refused; retry in 4 s"

    static QString stateName(State state);
    bool operator==(const ConnectionHealth &) const = default;
};

} // namespace sb::models

Q_DECLARE_METATYPE(sb::models::ConnectionHealth)
