#include "inspect/SseProbeSettings.h"

namespace sb::inspect {

QString SseProbeSettings::problem() const
{
    const QString scheme = url.scheme().toLower();
    if (url.isEmpty())
        return QStringLiteral("the URL is empty");
    if (!url.isValid())
        return QStringLiteral("the URL is not valid: %1").arg(url.errorString());
    if (scheme != u"http" && scheme != u"https")
        return QStringLiteral("an event-stream URL starts with http:// or https://");
    if (url.host().isEmpty())
        return QStringLiteral("the URL has no host");
    for (const ProbeHeader &header : headers)
        if (const QString why = probeHeaderProblem(header, QStringLiteral("request header")); !why.isEmpty())
            return why;
    for (const QChar c : lastEventId)
        if (c == u'\r' || c == u'\n' || c == u'\0')
            return QStringLiteral("the Last-Event-ID holds a line break or a NUL");
    if (defaultRetryMs < 0 || connectTimeoutMs <= 0 || idleTimeoutMs < 0)
        return QStringLiteral("the retry delay and timeouts cannot be negative");
    if (maxLineBytes < 1024 || maxEventBytes < 1024 || maxBodyBytes < 0)
        return QStringLiteral("the line and event limits must be at least 1024 bytes");
    return {};
}

} // namespace sb::inspect
