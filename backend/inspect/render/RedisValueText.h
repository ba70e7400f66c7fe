#pragma once

#include <QByteArray>
#include <QString>

namespace sb::inspect {

// How the Redis key browser's value viewer shows a value's bytes. A Redis value is whatever
// some client stored (binary-safe, unbounded in content), so these take any bytes and never
// fail. Pure; fuzzed (fuzz_redis_value_text).
class RedisValueText
{
public:
    // Binary-safe display: valid UTF-8 as text; anything else byte by byte, printable ASCII
    // as is and every other byte as \xNN (two lowercase hex digits).
    static QString shown(const QByteArray &bytes);
    // Pretty-printed JSON if `text` (trimmed) is a JSON object or array, else empty.
    static QString prettyJson(const QByteArray &text);
    // A string value as the viewer shows it: pretty JSON when it is JSON, else shown().
    static QString stringValue(const QByteArray &bytes);
};

} // namespace sb::inspect
