#pragma once

#include <string>
#include <string_view>

// The least a STOMP client needs to read a server's frames fast: command, the raw header
// block and the body (content-length when given, else up to the NUL), heart-beat EOLs
// skipped. No unescaping and no limits: the load generator only reads servers it started,
// and its hot path is one MESSAGE per delivery (sb::protocol::StompDecoder builds a
// StompFrame with its header list per frame, which would make the generator the ceiling).
class StompFrameReader
{
public:
    struct Frame
    {
        std::string_view command;
        std::string_view headers; // "name:value\n" lines, as received
        std::string_view body;

        // The first header called `name`, empty when absent.
        std::string_view header(std::string_view name) const;
    };

    void feed(std::string_view bytes) { m_buffer.append(bytes); }
    // The next complete frame into `frame` (valid until the next feed() or next()).
    bool next(Frame &frame);

private:
    std::string m_buffer;
    std::size_t m_pos = 0;
};
