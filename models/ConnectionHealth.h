#pragma once

#include <QMetaType>
#include <QString>

#include <optional>

namespace sb::models {

// The health of one connection the console holds (Redis, Kafka, replicas, tap).
struct ConnectionHealth
{
    enum class State { NotConfigured, Connecting, Up, Degraded, Down };

    State state = State::NotConfigured;
    QString detail; // a sentence the operator can act on, e.g. "connection refused; retry in 4 s"
    // The last round trip the console timed on it (Redis: a PING), while up; nullopt when it
    // times none or is not connected.
    std::optional<qint64> latencyMs = std::nullopt;

    static QString stateName(State state);
    bool operator==(const ConnectionHealth &) const = default;
};

} // namespace sb::models

Q_DECLARE_METATYPE(sb::models::ConnectionHealth)
