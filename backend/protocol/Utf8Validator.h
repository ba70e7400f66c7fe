#pragma once

#include <QByteArrayView>

namespace sb::protocol {

// Strict UTF-8 validation (Unicode 15, table 3-7): rejects overlong forms, UTF-16
// surrogates (U+D800..U+DFFF), code points above U+10FFFF, stray continuation bytes and
// truncated sequences. Incremental, so a WebSocket text message can be checked fragment
// by fragment and failed as soon as the first bad byte arrives (RFC 6455 8.1).
class Utf8Validator
{
public:
    // Returns false once any byte so far is invalid; stays false until reset().
    bool feed(QByteArrayView bytes);
    // True when everything fed is valid and no multi-byte sequence is left open.
    bool isComplete() const { return !m_failed && m_needed == 0; }
    bool hasFailed() const { return m_failed; }
    void reset();

private:
    int m_needed = 0; // continuation bytes still expected
    unsigned char m_lower = 0x80; // allowed range of the next continuation byte
    unsigned char m_upper = 0xBF;
    bool m_failed = false;
};

// One-shot strict check of a complete buffer.
bool isValidUtf8(QByteArrayView bytes);

} // namespace sb::protocol
