#pragma once

#include "inspect/RedisSessionSnapshot.h"
#include "models/SessionRows.h"

#include <QObject>

namespace sb::models {

// Turns the session reader's passes into SessionRows on the reader's own (worker) thread
// and hands them to SessionModel::applyRows by a queued signal; the rows the model lets
// go come back through retire() so they are freed here too, not on the GUI thread.
//
// Usage: create it on the worker thread (or move it there); connect the reader's
// snapshotReady to build(), built() to SessionModel::applyRows, SessionModel::retired to
// retire().
class SessionRowsBuilder : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    void build(const sb::inspect::RedisSessionSnapshot &snapshot);
    void retire(const sb::models::SessionRows &rows);

Q_SIGNALS:
    void built(const sb::models::SessionRows &rows);
};

} // namespace sb::models
