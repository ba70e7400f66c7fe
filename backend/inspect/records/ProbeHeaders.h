#pragma once

#include <QList>
#include <QPair>
#include <QString>

namespace sb::inspect {

// A header a probe sends (STOMP CONNECT, the WebSocket upgrade, the SSE request), in the
// order the user gave them; the same pair as TrafficFrame::Header.
using ProbeHeader = QPair<QString, QString>;
using ProbeHeaders = QList<ProbeHeader>;

// Header names whose values a probe shows as "***" in the frames it emits, as the node's tap
// does (docs/protocol.md, "Tap frames"): the wire still carries the real value, but a
// recording or a screenshot of the Traffic area does not. Case-insensitive.
bool probeHeaderIsSecret(const QString &name);
// The headers with the secret values masked.
ProbeHeaders probeMaskedHeaders(const ProbeHeaders &headers);
// Why this header cannot be sent (an empty name, a ':' or a line break in the name, a line
// break or NUL in the value); empty when it can. `what` names the list for the message,
// e.g. "CONNECT header".
QString probeHeaderProblem(const ProbeHeader &header, const QString &what);
// The first of these names (case-insensitive) present; -1 when none is.
qsizetype probeHeaderIndex(const ProbeHeaders &headers, const QString &name);

} // namespace sb::inspect
