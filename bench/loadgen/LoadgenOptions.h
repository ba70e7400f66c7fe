#pragma once

#include "TargetKind.h"

#include <string>
#include <sys/types.h>
#include <vector>

// Everything one run of sb_loadgen is told (sb_loadgen --help says what each means).
struct LoadgenOptions
{
    TargetKind kind = TargetKind::NodeStomp;
    std::string host = "127.0.0.1";
    int port = 0;
    // Scenario 6: the publisher on another replica of the same cluster (its tokens are the
    // subscribers' node's: a cluster's replicas share the JWT secret); 0: the same server.
    int publishPort = 0;
    int subscribers = 200;
    int channels = 1; // scenario 4: subscribers and messages spread over this many (ChannelSpread)
    std::vector<double> rates { 100 }; // messages per second, one step each
    double stepSeconds = 10;
    std::size_t bodyBytes = 64;
    int threads = 2; // subscriber loops (plus one for the publisher)
    pid_t serverPid = 0; // whose CPU and memory to report; 0: none
    int heartBeatMs = 0;
    // Subscribers ask their kernel to delay ACKs (TCP_QUICKACK off after each read): see
    // ConnectionSetup::delayedAcks. Off: the kernel's default, as any client gets.
    bool delayedAcks = false;
    double ceiling = 0; // the generator's own deliveries/s ceiling for this kind (0: unknown)
    // The generator's CPU % at that ceiling: on a shared core, the most it gets (0: unknown).
    double ceilingCpu = 0;
    double drainSeconds = 5; // a step ends this long after its last delivery when some are missing
    double idleSeconds = 0; // > 0: scenario 1, connections held idle this long, nothing published
    double settleSeconds = 0; // after the last step: wait, then report the server's memory
    bool failOnLoss = false; // exit 1 on any loss or duplicate (the suite's smoke test)
    bool stopAfterLoss = false; // skip the remaining (higher) rates after a step that lost messages
    int64_t discardSequence = -1; // self-check of the accounting: ConnectionSetup::discardSequence
};
