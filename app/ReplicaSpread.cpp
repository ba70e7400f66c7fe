#include "app/ReplicaSpread.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace sb::app {

QList<int> ReplicaSpread::counts(int users, int replicas, double skew)
{
    if (replicas <= 0)
        return {};
    users = std::max(users, 0);
    QList<int> counts(replicas, 0);
    if (replicas == 1) {
        counts[0] = users;
        return counts;
    }
    const double even = 1.0 / replicas;
    const double first = std::isfinite(skew) ? std::clamp(std::max(skew, even), even, 1.0) : even;
    QList<double> exact(replicas, users * (1.0 - first) / (replicas - 1));
    exact[0] = users * first;
    int given = 0;
    for (int i = 0; i < replicas; ++i) {
        counts[i] = int(std::floor(exact[i]));
        given += counts[i];
    }
    // The users the floors left out go to the largest remainders, the first replica first.
    QList<int> order(replicas);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        return exact[a] - counts[a] > exact[b] - counts[b] + 1e-9; // equal shares: the first replica first
    });
    for (int i = 0; given < users; i = (i + 1) % replicas, ++given)
        ++counts[order[i]];
    return counts;
}

QList<int> ReplicaSpread::assign(int users, int replicas, double skew)
{
    const QList<int> weights = counts(users, replicas, skew);
    QList<int> current(weights.size(), 0);
    QList<int> assignment;
    assignment.reserve(std::max(users, 0));
    for (int user = 0; user < users && !weights.isEmpty(); ++user) {
        int best = 0;
        for (int i = 0; i < weights.size(); ++i) {
            current[i] += weights[i];
            if (current[i] > current[best])
                best = i;
        }
        current[best] -= users;
        assignment.append(best);
    }
    return assignment;
}

bool ReplicaSpread::speaksStomp(int index, double stompShare)
{
    const double share = std::isfinite(stompShare) ? std::clamp(stompShare, 0.0, 1.0) : 0.0;
    // Bresenham: user i speaks STOMP when the running total of shares crosses an integer.
    return std::floor((index + 1) * share + 1e-9) > std::floor(index * share + 1e-9);
}

} // namespace sb::app
