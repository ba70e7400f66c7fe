#include "protocol/StompVersion.h"

#include <algorithm>

namespace sb::protocol {

QByteArray stompVersionName(StompVersion version)
{
    switch (version) {
    case StompVersion::V1_0:
        return QByteArrayLiteral("1.0");
    case StompVersion::V1_1:
        return QByteArrayLiteral("1.1");
    case StompVersion::V1_2:
        return QByteArrayLiteral("1.2");
    }
    return {};
}

bool parseStompVersion(QByteArrayView text, StompVersion *version)
{
    for (const StompVersion candidate : { StompVersion::V1_0, StompVersion::V1_1, StompVersion::V1_2 }) {
        if (text == stompVersionName(candidate)) {
            *version = candidate;
            return true;
        }
    }
    return false;
}

StompVersionNegotiation negotiateStompVersion(
    QByteArrayView acceptVersion, const QList<StompVersion> &supported)
{
    QList<StompVersion> offered;
    if (acceptVersion.isNull()) {
        // STOMP 1.2 §CONNECT: a client without accept-version speaks 1.0.
        offered.append(StompVersion::V1_0);
    } else {
        const QByteArray list = acceptVersion.toByteArray();
        for (const QByteArray &entry : list.split(',')) {
            // Tolerate "1.1, 1.2": some clients put spaces after the commas.
            StompVersion version;
            if (parseStompVersion(entry.trimmed(), &version))
                offered.append(version);
        }
    }

    StompVersionNegotiation result;
    bool found = false;
    for (const StompVersion version : std::as_const(offered)) {
        if (!supported.contains(version))
            continue;
        if (!found || version > result.version)
            result.version = version;
        found = true;
    }
    if (found) {
        result.ok = true;
        return result;
    }

    QList<StompVersion> sorted = supported;
    std::sort(sorted.begin(), sorted.end());
    QByteArray names;
    for (const StompVersion version : std::as_const(sorted)) {
        if (!names.isEmpty())
            names += ',';
        names += stompVersionName(version);
    }
    result.supportedVersions = names;
    const QString offeredText = acceptVersion.isNull() ? QStringLiteral("1.0 (no accept-version header)")
                                                       : QString::fromUtf8(acceptVersion);
    result.errorString = QStringLiteral("Supported protocol versions are ") % QString::fromLatin1(names)
        % QStringLiteral("; the client accepts ") % offeredText;
    return result;
}

} // namespace sb::protocol
