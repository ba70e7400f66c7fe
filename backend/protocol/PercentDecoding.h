#pragma once

#include <QByteArrayView>
#include <QString>

namespace sb::protocol {

// The value of one hex digit, or -1 (shared by percent-decoding and chunk sizes).
int hexDigitValue(char c);

// Percent-decodes a URL path or query component (`plusAsSpace` for form-encoded query
// strings). False on a broken escape, a decoded NUL or invalid UTF-8: request handlers
// compare these strings and must never see ambiguous bytes.
bool percentDecode(QByteArrayView in, bool plusAsSpace, QString *out);

} // namespace sb::protocol
