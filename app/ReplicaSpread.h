#pragma once

#include <QList>

namespace sb::app {

// Where the demo population's users connect and what they speak: pure arithmetic, so the
// spread a demo shows is the one its options asked for (tst_demopopulationplan).
class ReplicaSpread
{
public:
    // How many of `users` each of `replicas` holds for a skew (DemoPopulationOptions::skew):
    // 0 (or anything up to an even share) spreads them evenly; otherwise the first replica
    // holds that share and the others split the rest evenly. Largest remainders, so the
    // counts always add up to `users`.
    static QList<int> counts(int users, int replicas, double skew);
    // One replica index per user, interleaved (smooth weighted round robin, as nginx's
    // upstream balancing) so every replica gets a mix of the users' transports.
    static QList<int> assign(int users, int replicas, double skew);
    // Whether user `index` speaks STOMP: a `stompShare` of the users, spread evenly through
    // the list (the others use SSE).
    static bool speaksStomp(int index, double stompShare);
};

} // namespace sb::app
