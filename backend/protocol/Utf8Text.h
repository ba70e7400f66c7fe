#pragma once

#include <QByteArrayView>
#include <QString>

namespace sb::protocol {

// Decodes UTF-8 byte for byte. QString::fromUtf8 drops a leading U+FEFF (it takes it for a
// byte-order mark), but in a field, a path segment or a label value it is data: a channel
// named "%EF%BB%BFgeneral" is not "general". Invalid sequences become U+FFFD; a sequence cut
// at the end does too (stateless).
QString decodeUtf8KeepingBom(QByteArrayView bytes);

} // namespace sb::protocol
