#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace sb::models {

// How old an area's picture is: when its source last answered (asOf) and whether it has
// stopped answering since (stale, since when and why). A stale area keeps showing what it
// last knew, dated, instead of zeros, "down" rows it cannot know, or TTLs counted down to
// "expired" on a server nobody can reach.
struct Freshness
{
    QDateTime asOf; // UTC; invalid while nothing was read
    bool stale = false;
    QDateTime staleSince; // UTC: when the source stopped answering
    QString reason; // what went wrong, in words (never a password)

    // The source answered at `at`.
    static Freshness live(const QDateTime &at);
    // The source stopped answering at `since` (kept if it already had): the picture stays as of asOf.
    Freshness stopped(const QDateTime &since, const QString &why) const;

    // {"asOf": ISO 8601 UTC or null, "stale": bool, "staleSince": ISO 8601 or null, "staleReason": text}
    QJsonObject toJson() const;
    // "Redis has not answered since 12:08:03 (connection refused): what is shown is as of 12:07:57."
    QString bannerText(const QString &source) const;
    // Local HH:mm:ss, with the date in front when it is not today's.
    static QString clockText(const QDateTime &at);

    bool operator==(const Freshness &) const = default;
};

} // namespace sb::models
