#include "models/SessionRowsBuilder.h"

namespace sb::models {

void SessionRowsBuilder::build(const inspect::RedisSessionSnapshot &snapshot)
{
    emit built(SessionRows::fromSnapshot(snapshot));
}

void SessionRowsBuilder::retire(const SessionRows &rows)
{
    // Nothing to do: the queued call's copy was the last reference, and it dies here, on
    // this thread.
    Q_UNUSED(rows);
}

} // namespace sb::models
