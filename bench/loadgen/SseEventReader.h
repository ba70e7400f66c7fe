#pragma once

#include <string>
#include <string_view>

// Splits a text/event-stream into events (blocks ended by a blank line), after undoing
// HTTP/1.1 chunked transfer coding when the response used it (nginx does; the node does
// not). An event is returned raw, lines and all: the generator only looks for its
// DeliveryMarker in it and for the node's ":closing" comment, so it skips the field
// parsing a browser does (sb::protocol::SseParser would build QStrings per event).
class SseEventReader
{
public:
    explicit SseEventReader(bool chunked = false)
        : m_chunked(chunked)
    { }
    void setChunked(bool chunked) { m_chunked = chunked; }

    void feed(std::string_view bytes);
    // The next complete event (valid until the next feed() or next()).
    bool next(std::string_view &event);
    bool hasError() const { return m_error; }

private:
    void dechunk();

    bool m_chunked;
    bool m_error = false;
    std::string m_raw; // chunked bytes not yet decoded
    std::size_t m_chunkLeft = 0; // payload bytes left in the current chunk
    std::string m_buffer; // the decoded stream
    std::size_t m_pos = 0;
};
