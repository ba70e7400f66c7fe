#pragma once

#include <functional>

// How a bench waits on its own thread: in a QEventLoop, so sockets, child processes and
// timers go on being served, woken by a timer rather than spinning through processEvents
// with a sleep between (which stalls every event for the sleep, and keeps a core busy
// polling when the sleep is short).
namespace sb::bench {

// Runs the event loop until condition() holds, asked now and then every pollMs, or until
// timeoutMs have passed; whether it held. condition() may run an event loop of its own (a
// request and its reply): the next poll is timed from its return.
bool waitUntil(const std::function<bool()> &condition, int timeoutMs, int pollMs = 10);

// Runs the event loop for ms.
void runEventsFor(int ms);

} // namespace sb::bench
