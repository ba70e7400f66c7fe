#include "models/Freshness.h"

namespace sb::models {

Freshness Freshness::live(const QDateTime &at)
{
    Freshness f;
    f.asOf = at.toUTC();
    return f;
}

Freshness Freshness::stopped(const QDateTime &since, const QString &why) const
{
    Freshness f = *this;
    if (!f.stale) {
        f.stale = true;
        f.staleSince = since.toUTC();
    }
    f.reason = why;
    return f;
}

QJsonObject Freshness::toJson() const
{
    auto stamp = [](const QDateTime &at) {
        return at.isValid() ? QJsonValue(at.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue();
    };
    return { { QStringLiteral("asOf"), stamp(asOf) }, { QStringLiteral("stale"), stale },
        { QStringLiteral("staleSince"), stamp(staleSince) },
        { QStringLiteral("staleReason"), stale ? reason : QString() } };
}

QString Freshness::clockText(const QDateTime &at)
{
    const QDateTime local = at.toLocalTime();
    return local.date() == QDate::currentDate() ? local.toString(QStringLiteral("HH:mm:ss"))
                                                : local.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QString Freshness::bannerText(const QString &source) const
{
    if (!stale)
        return {};
    QString text = QStringLiteral("%1 has not answered since %2").arg(source, clockText(staleSince));
    if (!reason.isEmpty())
        text += QStringLiteral(" (%1)").arg(reason);
    text += asOf.isValid() ? QStringLiteral(": what is shown is as of %1.").arg(clockText(asOf))
                           : QStringLiteral(": nothing was read from it yet.");
    return text;
}

} // namespace sb::models
