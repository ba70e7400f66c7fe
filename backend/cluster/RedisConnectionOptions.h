#pragma once

#include <QString>

#include <chrono>

namespace sb::cluster {

// Tuning for one RedisConnection. The defaults suit a node on a LAN or loopback.
struct RedisConnectionOptions
{
    // Shown in logs and sent as CLIENT SETNAME so the Redis inspector (CLIENT LIST)
    // can tell our connections apart; letters, digits, '-', '_', '.', ':' only. Empty: none.
    QString name;
    // Commands sent but not yet answered. Past this, command() fails fast with
    // ClientError::Overloaded rather than letting hiredis' output buffer grow without
    // bound while the server is slow.
    int maxInFlight = 16384;
    // Reconnect back-off: min, doubling per consecutive failure, capped at max, each
    // delay drawn from [75 %, 100 %] of that (jitter keeps replicas from reconnecting in
    // lock-step after a Redis restart, while still growing every step until the cap).
    std::chrono::milliseconds reconnectMin { 100 };
    std::chrono::milliseconds reconnectMax { 5000 };
    // TCP connect + AUTH/SELECT/PING must finish within this, else the attempt counts
    // as failed (hiredis 0.14's async connect has no timeout of its own).
    std::chrono::milliseconds connectTimeout { 5000 };
};

} // namespace sb::cluster
