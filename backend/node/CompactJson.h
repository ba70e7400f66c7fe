#pragma once

#include <QByteArray>
#include <QStringView>

namespace sb::node {

// JSON text as QJsonDocument::toJson(QJsonDocument::Compact) writes it, byte for byte, for
// the few values a message carries, without building a QJsonObject: that cost ~60,000
// instructions a message under callgrind (docs/benchmarks.md, "Instructions per delivery"),
// the largest part of a publish. Strings: `"` `\` and the C0 controls escaped (\b \f \n \r \t
// by name, the rest \u00xx), everything else as UTF-8, a lone surrogate as \uxxxx (lower-case
// hex), as Qt does; integers as QByteArray::number. tst_nodemessages compares the bytes
// with QJsonDocument's.
namespace CompactJson {
void appendString(QByteArray &out, QStringView text);
} // namespace CompactJson

} // namespace sb::node
