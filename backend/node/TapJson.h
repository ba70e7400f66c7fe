#pragma once

#include <QByteArrayView>
#include <QStringView>

namespace sb::node {

// The tap's JSON strings, written by hand into a buffer sized first (TapEvent,
// TapMessageFrame): the size of a string as JSON, then the string, quotes included. Bytes
// as they are (the caller makes them valid UTF-8 first), QStrings encoded to UTF-8 as they
// are written, a lone surrogate as '?' (what QString::toUtf8() makes of it). `"`, `\` and
// the C0 controls escaped (\b \f \n \r \t by name, the rest \u00xx).
namespace TapJson {
qsizetype stringSize(QByteArrayView text);
qsizetype stringSize(QStringView text);
char *writeString(char *out, QByteArrayView text);
char *writeString(char *out, QStringView text);
char *writeRaw(char *out, QByteArrayView raw);
} // namespace TapJson

} // namespace sb::node
