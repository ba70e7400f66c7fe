#include "protocol/PercentDecoding.h"

#include "protocol/Utf8Text.h"
#include "protocol/Utf8Validator.h"

namespace sb::protocol {

int hexDigitValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool percentDecode(QByteArrayView in, bool plusAsSpace, QString *out)
{
    QByteArray bytes;
    bytes.reserve(in.size());
    for (qsizetype i = 0; i < in.size(); ++i) {
        const char c = in[i];
        if (c == '%') {
            if (i + 2 >= in.size())
                return false;
            const int hi = hexDigitValue(in[i + 1]);
            const int lo = hexDigitValue(in[i + 2]);
            if (hi < 0 || lo < 0)
                return false;
            bytes.append(static_cast<char>(hi * 16 + lo));
            i += 2;
        } else if (c == '+' && plusAsSpace) {
            bytes.append(' ');
        } else {
            bytes.append(c);
        }
    }
    if (bytes.contains('\0') || !isValidUtf8(bytes))
        return false;
    *out = decodeUtf8KeepingBom(bytes);
    return true;
}

} // namespace sb::protocol
