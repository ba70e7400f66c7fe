#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace sb::cluster {

// One event in a user's SSE replay store: its id is the message-id (the SSE `id:`).
struct ReplayEvent
{
    QString id;
    QByteArray type; // SSE `event:`
    QByteArray data; // SSE `data:` (JSON)
};

// What a replay request found after a Last-Event-ID.
struct ReplayResult
{
    QList<ReplayEvent> events; // oldest first
    bool reset = false; // the id is older than the store holds (or unknown): data was missed
    QString error; // the store could not be read; nothing can be replayed
};

} // namespace sb::cluster
