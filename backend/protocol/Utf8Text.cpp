#include "protocol/Utf8Text.h"

#include <QStringDecoder>

namespace sb::protocol {

QString decodeUtf8KeepingBom(QByteArrayView bytes)
{
    QStringDecoder decoder(QStringConverter::Utf8,
        QStringConverter::Flag::ConvertInitialBom | QStringConverter::Flag::Stateless);
    return decoder.decode(bytes);
}

} // namespace sb::protocol
