#pragma once

#include <QJsonObject>

namespace sb::models {

// A recording sample is a view state (`state.json`'s shape) taken every 5 s for an hour.
// The Traffic rows in it need only what the replayed table shows: each row's body and
// headers (most of its size: a pretty-printed body is ~200 bytes) and the trace of the
// newest message are left out, since the recording's own "traffic" section keeps the
// frames whole. Measured on the demo: a sample went from 76 to ~40 KB. Pure.
struct RecordingSampleTrim
{
    static QJsonObject trimmed(QJsonObject state);
};

} // namespace sb::models
