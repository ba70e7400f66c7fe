#include "protocol/Utf8Validator.h"

namespace sb::protocol {

bool Utf8Validator::feed(QByteArrayView bytes)
{
    if (m_failed)
        return false;
    for (const char c : bytes) {
        const auto b = static_cast<unsigned char>(c);
        if (m_needed > 0) {
            if (b < m_lower || b > m_upper) {
                m_failed = true;
                return false;
            }
            // Only the first continuation byte has a narrowed range.
            m_lower = 0x80;
            m_upper = 0xBF;
            --m_needed;
            continue;
        }
        if (b < 0x80)
            continue;
        if (b >= 0xC2 && b <= 0xDF) {
            m_needed = 1;
        } else if (b == 0xE0) {
            m_needed = 2;
            m_lower = 0xA0; // below is an overlong 3-byte form
        } else if (b == 0xED) {
            m_needed = 2;
            m_upper = 0x9F; // above are the surrogates
        } else if (b >= 0xE1 && b <= 0xEF) {
            m_needed = 2;
        } else if (b == 0xF0) {
            m_needed = 3;
            m_lower = 0x90; // below is an overlong 4-byte form
        } else if (b >= 0xF1 && b <= 0xF3) {
            m_needed = 3;
        } else if (b == 0xF4) {
            m_needed = 3;
            m_upper = 0x8F; // above is beyond U+10FFFF
        } else {
            // 0x80..0xC1 (stray continuation, overlong 2-byte lead) and 0xF5..0xFF.
            m_failed = true;
            return false;
        }
    }
    return true;
}

void Utf8Validator::reset()
{
    *this = Utf8Validator();
}

bool isValidUtf8(QByteArrayView bytes)
{
    Utf8Validator validator;
    return validator.feed(bytes) && validator.isComplete();
}

} // namespace sb::protocol
