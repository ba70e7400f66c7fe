#pragma once

#include <optional>
#include <string>
#include <vector>

// What the generator asks of a node outside the measured path: access tokens for its demo
// users (POST /api/auth/login; the node must run with --demo-users), and the slow
// consumers it dropped (sb_dropped_total{reason="slow_consumer"} on /metrics).
namespace NodeSession {
// One token per demo user (alice, bob, carol, admin); empty when a login failed.
std::vector<std::string> demoTokens(const std::string &host, int port);
std::optional<double> slowConsumerDrops(const std::string &host, int port);
} // namespace NodeSession
