#include "inspect/ProbeHeaders.h"

namespace sb::inspect {

bool probeHeaderIsSecret(const QString &name)
{
    for (const QLatin1String secret :
        { QLatin1String("authorization"), QLatin1String("passcode"), QLatin1String("ticket"),
            QLatin1String("cookie"), QLatin1String("x-api-key"), QLatin1String("proxy-authorization") })
        if (name.compare(secret, Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

ProbeHeaders probeMaskedHeaders(const ProbeHeaders &headers)
{
    ProbeHeaders masked = headers;
    for (ProbeHeader &header : masked)
        if (probeHeaderIsSecret(header.first))
            header.second = QStringLiteral("***");
    return masked;
}

QString probeHeaderProblem(const ProbeHeader &header, const QString &what)
{
    const auto &[name, value] = header;
    if (name.trimmed().isEmpty())
        return QStringLiteral("a %1 has no name").arg(what);
    for (const QChar c : name)
        if (c == u':' || c == u'\r' || c == u'\n' || c == u'\0')
            return QStringLiteral("%1 name '%2' holds a ':', a line break or a NUL").arg(what, name);
    for (const QChar c : value)
        if (c == u'\r' || c == u'\n' || c == u'\0')
            return QStringLiteral("%1 '%2' has a line break or a NUL in its value").arg(what, name);
    return {};
}

qsizetype probeHeaderIndex(const ProbeHeaders &headers, const QString &name)
{
    for (qsizetype i = 0; i < headers.size(); ++i)
        if (headers.at(i).first.compare(name, Qt::CaseInsensitive) == 0)
            return i;
    return -1;
}

} // namespace sb::inspect
