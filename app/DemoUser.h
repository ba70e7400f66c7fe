#pragma once

#include <QString>
#include <QStringList>

namespace sb::app {

// One simulated user's account and where it lives: generated with the demo's users file, so
// the password here is the one whose PBKDF2 hash the replicas hold.
struct DemoUser
{
    enum class Transport { Stomp, Sse };

    QString name;
    QString password;
    QStringList channels; // the channels the users file makes it a member of
    Transport transport = Transport::Stomp;
    int index = 0; // its place in the population: logins are spread by it
    int homeReplica = 0; // index into the replicas it is spread over
};

} // namespace sb::app
