#include "WebSocketClientFrame.h"

namespace WebSocketClientFrame {

void append(std::string &out, Opcode opcode, std::string_view payload)
{
    static constexpr unsigned char kMask[4] = { 0x37, 0xfa, 0x21, 0x3d };
    out.push_back(char(0x80 | opcode));
    const uint64_t size = payload.size();
    if (size < 126) {
        out.push_back(char(0x80 | size));
    } else if (size <= 0xffff) {
        out.push_back(char(0x80 | 126));
        out.push_back(char(size >> 8));
        out.push_back(char(size & 0xff));
    } else {
        out.push_back(char(0x80 | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            out.push_back(char((size >> shift) & 0xff));
    }
    out.append(reinterpret_cast<const char *>(kMask), 4);
    const std::size_t start = out.size();
    out.append(payload);
    for (std::size_t i = 0; i < payload.size(); ++i)
        out[start + i] = char(out[start + i] ^ char(kMask[i & 3]));
}

} // namespace WebSocketClientFrame
