#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

namespace sb::protocol {

// The STOMP protocol versions we speak; ordered so that max() picks the newest.
enum class StompVersion : quint8 { V1_0 = 10, V1_1 = 11, V1_2 = 12 };

// Outcome of negotiating a version from a CONNECT frame's accept-version header.
struct StompVersionNegotiation
{
    bool ok = false;
    StompVersion version = StompVersion::V1_2;
    // Set when !ok: human readable, suitable for an ERROR frame's message header.
    QString errorString;
    // Set when !ok: the value for the ERROR frame's "version" header, e.g. "1.0,1.1,1.2".
    QByteArray supportedVersions;
};

// The wire spelling of a version ("1.0", "1.1", "1.2").
QByteArray stompVersionName(StompVersion version);

// Parses "1.0", "1.1" or "1.2"; returns false for anything else.
bool parseStompVersion(QByteArrayView text, StompVersion *version);

// Server side of STOMP version negotiation. acceptVersion is the raw header value, or a
// null view when the CONNECT frame had no accept-version header (which means 1.0).
// The highest version in both acceptVersion and supported wins; entries we do not know
// are ignored. Fails only when no listed version is supported.
StompVersionNegotiation negotiateStompVersion(QByteArrayView acceptVersion,
    const QList<StompVersion> &supported = { StompVersion::V1_0, StompVersion::V1_1, StompVersion::V1_2 });

} // namespace sb::protocol
