#pragma once

#include <QMetaType>
#include <QString>

namespace sb::inspect {

// Whether the server publishes keyspace notifications, and so whether the key browser
// follows changes live or refreshes only the rows on screen.
struct RedisNotificationState
{
    enum class Mode { Unknown, Enabled, Disabled, Unavailable };

    Mode mode = Mode::Unknown;
    QString flags; // notify-keyspace-events as the server reports it
    QString text; // one sentence for the view
    // When disabled: the exact command an operator may run to enable them (never run by
    // the console itself). It keeps the server's current flags, so an application that
    // relies on e.g. "Ex" keeps its expiry events.
    QString enableCommand;
    qint64 eventsDropped = 0; // notified keys not followed because they came too fast
};

} // namespace sb::inspect

Q_DECLARE_METATYPE(sb::inspect::RedisNotificationState)
