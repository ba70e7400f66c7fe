#include "inspect/BurrowEvaluator.h"

#include <QStringList>

namespace sb::inspect {

namespace {

bool lagZeroSomewhere(const QList<LagObservation> &window)
{
    for (const LagObservation &o : window) {
        if (o.lag == 0)
            return true;
    }
    return false;
}

// The first backwards step, as (from, to); none when offsets never decrease.
bool findRewind(const QList<LagObservation> &window, qint64 *from, qint64 *to)
{
    for (qsizetype i = 1; i < window.size(); ++i) {
        if (window.at(i).offset < window.at(i - 1).offset) {
            *from = window.at(i - 1).offset;
            *to = window.at(i).offset;
            return true;
        }
    }
    return false;
}

bool offsetsNeverMove(const QList<LagObservation> &window)
{
    for (qsizetype i = 1; i < window.size(); ++i) {
        if (window.at(i).offset != window.at(i - 1).offset)
            return false;
    }
    return true;
}

bool lagNeverDecreases(const QList<LagObservation> &window)
{
    for (qsizetype i = 1; i < window.size(); ++i) {
        if (window.at(i).lag < window.at(i - 1).lag)
            return false;
    }
    return true;
}

} // namespace

QString BurrowEvaluator::formatSpan(qint64 ms)
{
    const qint64 seconds = qMax<qint64>(0, ms) / 1000;
    if (seconds < 60)
        return QStringLiteral("%1 s").arg(seconds);
    if (seconds < 3600)
        return QStringLiteral("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
    return QStringLiteral("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60);
}

BurrowVerdict BurrowEvaluator::evaluatePartition(
    const QList<LagObservation> &window, qint64 currentLag, qint64 logEndOffset, qint64 nowMs)
{
    if (window.isEmpty())
        return { BurrowStatus::NotFound, QStringLiteral("no committed offset seen yet") };
    const LagObservation &first = window.first();
    const LagObservation &last = window.last();
    if (currentLag <= 0) {
        // Burrow treats an unknown log-end offset (lag -1) as no lag.
        return { BurrowStatus::Ok,
            currentLag == 0 ? QStringLiteral("caught up: no lag")
                            : QStringLiteral("log-end offset not known yet") };
    }

    const qint64 quiet = nowMs - last.atMs;
    const qint64 span = last.atMs - first.atMs;
    if (quiet > span && last.offset < logEndOffset) {
        return { BurrowStatus::Stop,
            QStringLiteral("no commit for %1, longer than the window spans (%2), with %3 messages behind")
                .arg(formatSpan(quiet), formatSpan(span))
                .arg(currentLag) };
    }
    if (lagZeroSomewhere(window))
        return { BurrowStatus::Ok,
            QStringLiteral("lag was zero within the last %1 commits").arg(window.size()) };

    qint64 from = 0;
    qint64 to = 0;
    if (findRewind(window, &from, &to))
        return { BurrowStatus::Rewind,
            QStringLiteral("committed offset went back from %1 to %2").arg(from).arg(to) };
    if (window.size() > 1 && offsetsNeverMove(window)) {
        return { BurrowStatus::Stall,
            QStringLiteral("committing without progress: offset stuck at %1 over %2 commits, "
                           "%3 messages behind")
                .arg(last.offset)
                .arg(window.size())
                .arg(currentLag) };
    }
    if (window.size() > 1 && lagNeverDecreases(window)) {
        return { BurrowStatus::Warn,
            QStringLiteral("consuming, but lag did not decrease over %1 commits (%2 → %3)")
                .arg(window.size())
                .arg(first.lag)
                .arg(last.lag) };
    }
    return { BurrowStatus::Ok, QStringLiteral("lag %1 and decreasing").arg(currentLag) };
}

BurrowVerdict BurrowEvaluator::evaluateGroup(const QList<PartitionResult> &partitions)
{
    QStringList errors;
    QStringList warnings;
    int ok = 0;
    for (const PartitionResult &p : partitions) {
        const QString where = QStringLiteral("%1[%2] %3")
                                  .arg(p.topic)
                                  .arg(p.partition)
                                  .arg(burrowStatusName(p.verdict.status));
        switch (p.verdict.status) {
        case BurrowStatus::Stop:
        case BurrowStatus::Stall:
        case BurrowStatus::Rewind:
        case BurrowStatus::Err:
        case BurrowStatus::Down:
            errors.append(where);
            break;
        case BurrowStatus::Warn:
            warnings.append(where);
            break;
        case BurrowStatus::Ok:
            ++ok;
            break;
        case BurrowStatus::NotFound:
        case BurrowStatus::Retired:
            break;
        }
    }
    auto list = [](const QStringList &items) {
        constexpr int shown = 3;
        QString text = items.mid(0, shown).join(QStringLiteral(", "));
        if (items.size() > shown)
            text += QStringLiteral(" and %1 more").arg(items.size() - shown);
        return text;
    };
    if (!errors.isEmpty())
        return { BurrowStatus::Err,
            QStringLiteral("%1 partition(s) in error: %2").arg(errors.size()).arg(list(errors)) };
    if (!warnings.isEmpty())
        return { BurrowStatus::Warn,
            QStringLiteral("%1 partition(s) lagging: %2").arg(warnings.size()).arg(list(warnings)) };
    if (ok > 0)
        return { BurrowStatus::Ok, QStringLiteral("all %1 partition(s) OK").arg(ok) };
    return { BurrowStatus::NotFound, QStringLiteral("no committed offsets") };
}

} // namespace sb::inspect
