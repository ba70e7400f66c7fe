#pragma once

namespace sb::app {

// What the demo's simulated users do (docs/operations.md, "The demo population"). The
// defaults make the console's first screen a cluster at work: 60 people on 3 replicas,
// 20 messages a second over 5 channels, some leaving and coming back.
struct DemoPopulationOptions
{
    int users = 60;
    int channels = 5; // general (everyone) plus channels of a few members each
    double stompShare = 0.6; // the rest hold an SSE stream and post over HTTP
    // 0: users spread evenly over the replicas; otherwise the share of users on the first
    // replica (0.5: half on node-1), the rest spread evenly over the others.
    double skew = 0.0;
    double messagesPerSecond = 20; // in total, whoever sends them
    // On average one user logs out (and comes back a few seconds later) this often; 0: never.
    int churnEverySeconds = 6;
    int reconnectDelayMs = 1000; // after a lost connection, before trying the next replica
};

} // namespace sb::app
