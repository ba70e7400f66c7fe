#pragma once

#include "app/DemoPopulationOptions.h"
#include "app/DemoUser.h"

#include <QByteArray>
#include <QList>
#include <QStringList>

namespace sb::app {

// The demo population's accounts and the users file the replicas read them from
// (`switchboard node --users`, node::UserDirectory): the demo logs in through the same
// PBKDF2 check as a production cluster. Passwords are random for each demo run and live
// only in this process and as hashes in the file.
class DemoUsers
{
public:
    // PBKDF2 cost of the demo's hashes. The node's default (PasswordHasher, 100 000) costs
    // about 0.1 s per hash here: 6 s for 60 users before the first replica could start, and
    // as much again in the replicas' logins; 10 000 still cost ~0.6 s of the demo's launch,
    // in series before the cluster starts (issue 13: launch under 8 s). An
    // iteration count slows the guessing of a password a person chose; these are 24 random
    // bytes (192 bits), single-use, never typed, gone with the console: no count makes them
    // any harder to guess. The node verifies whatever cost a hash names, so the code path is
    // production's (docs/operations.md).
    static constexpr int kPasswordIterations = 1000;

    // `general`, then other channel names; `count` of them (at least 1).
    static QStringList channelNames(int count);
    // options.users accounts: names from a list of computing pioneers (numbered past it),
    // fresh random passwords, members of `general` and of two other channels (spread so
    // every channel has members), a STOMP or SSE client as options.stompShare says.
    static QList<DemoUser> generate(const DemoPopulationOptions &options);
    // {"users":[{"name","passwordHash","roles":["ROLE_USER"],"channels":[…]}]}, hashes at
    // `iterations`. Slow (users × iterations of HMAC-SHA256): call it off the GUI thread.
    static QByteArray usersFileJson(const QList<DemoUser> &users, int iterations = kPasswordIterations);
};

} // namespace sb::app
