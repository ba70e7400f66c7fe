#pragma once

#include "protocol/FaultRequest.h"

namespace sb::app {

// Bounds of the devcluster's fault control endpoint (loopback only). Each is counted when
// hit and answered with an HTTP error and a JSON reason before the connection closes.
struct FaultControlLimits
{
    int maxConnections = 8; // open at once; the next gets 503
    int idleTimeoutMs = 10000; // a request not complete by then gets 408
    qsizetype maxBodyBytes = protocol::FaultRequest::kMaxBodyBytes; // a larger body gets 413
};

} // namespace sb::app
