#pragma once

#include <QString>
#include <QtGlobal>

namespace sb::node {

// The node's bound on the kernel's send buffer of each connection it accepts
// (--limit-socket-send-buffer-bytes; SO_SNDBUF, like nginx's `listen … sndbuf=`).
//
// Left alone, Linux grows a connection's send buffer with its congestion window up to
// net.ipv4.tcp_wmem's maximum (4 MiB by default): a client that stops reading holds
// megabytes in the kernel, memory no limit of the node counts, and only once that is full
// does the node's own outbound queue see anything to age or count (OutboundQueue), so a
// stalled client on loopback went undropped for minutes. Set before the first byte is
// written, the bound makes the kernel's share small and known, and the node's limits
// (--limit-outbound-bytes, --limit-outbound-age-ms) judge the rest.
// Linux doubles the value asked for (the other half is its bookkeeping), caps it at
// net.core.wmem_max, and no longer autotunes that socket's buffer.
class SocketSendBuffer
{
public:
    // SO_SNDBUF on `descriptor` (an accepted TCP socket); `bytes` > 0. False, with the
    // reason in `error`, when the kernel refuses it.
    static bool bound(qintptr descriptor, int bytes, QString *error);
    // The kernel's send buffer of `descriptor` as it reports it (SO_SNDBUF read back: twice
    // what was asked, or the autotuned size); -1 when it cannot be read.
    static int kernelBytes(qintptr descriptor);
};

} // namespace sb::node
