#include "app/ConsoleSnapshotSchedule.h"

#include <QJsonArray>
#include <QPointer>
#include <QTimer>

#include <cstdio>

namespace sb::app {

ConsoleSnapshotSchedule::ConsoleSnapshotSchedule(QString directory, int afterSeconds, bool whenSettled,
    std::function<ConsoleSnapshotSettling()> settling, QObject *parent)
    : QObject(parent)
    , m_directory(std::move(directory))
    , m_afterSeconds(afterSeconds)
    , m_whenSettled(whenSettled && settling)
    , m_settling(std::move(settling))
{ }

void ConsoleSnapshotSchedule::start(Writers writers)
{
    if (m_directory.isEmpty() || m_started)
        return;
    m_started = true;
    m_writers = std::move(writers);
    QTimer::singleShot(m_afterSeconds * 1000, this, &ConsoleSnapshotSchedule::takeAtTheLatest);
}

void ConsoleSnapshotSchedule::replicasPolled()
{
    // Settled at two Replicas polls in a row: the second one read the replicas after
    // everything else had settled, so the connection counts it shows are those of the
    // settled cluster, not of a moment before the last user connected.
    if (!m_whenSettled || !m_started || m_taken)
        return;
    QStringList unsettled = m_settling().unsettled();
    m_settledPolls = unsettled.isEmpty() ? m_settledPolls + 1 : 0;
    if (settled())
        take(std::move(unsettled));
}

QJsonObject ConsoleSnapshotSchedule::settledJson() const
{
    if (!m_whenSettled)
        return {};
    // Once taken, what the snapshot was taken on: a simulated user churning between that
    // judgement and the write must not make a settled snapshot say it was not.
    const bool taken = m_taken;
    const QStringList unsettled = taken ? m_unsettledWhenTaken : m_settling().unsettled();
    return { { QStringLiteral("settled"), unsettled.isEmpty() && (taken ? m_settledWhenTaken : settled()) },
        { QStringLiteral("unsettled"), QJsonArray::fromStringList(unsettled) } };
}

void ConsoleSnapshotSchedule::takeAtTheLatest()
{
    take(m_whenSettled ? m_settling().unsettled() : QStringList());
}

void ConsoleSnapshotSchedule::take(QStringList unsettled)
{
    if (m_taken)
        return;
    m_taken = true;
    m_settledWhenTaken = settled() && unsettled.isEmpty();
    m_unsettledWhenTaken = std::move(unsettled);
    if (m_whenSettled && !m_settledWhenTaken) {
        std::fprintf(stderr, "switchboard: not settled after %d s, snapshot taken anyway: %s\n",
            m_afterSeconds, qPrintable(m_unsettledWhenTaken.join(QStringLiteral("; "))));
    }
    QString error;
    if (!m_writers.snapshot(m_directory, &error)) {
        std::fprintf(stderr, "switchboard: snapshot failed: %s\n", qPrintable(error));
        emit finished(1);
        return;
    }
    if (!m_writers.recording) {
        emit finished(0);
        return;
    }
    m_writers.recording([self = QPointer<ConsoleSnapshotSchedule>(this)](bool ok, const QString &why) {
        if (!self)
            return;
        if (!ok)
            std::fprintf(stderr, "switchboard: recording not saved: %s\n", qPrintable(why));
        emit self->finished(ok ? 0 : 1);
    });
}

} // namespace sb::app
