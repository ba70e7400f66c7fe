#pragma once

#include <string>
#include <string_view>

// One HTTP/1.1 request on its own loopback connection, blocking, Connection: close: for
// the few exchanges outside the measured path (the node's login, its /metrics).
struct HttpAnswer
{
    int status = 0; // 0: no answer (connection failed)
    std::string body;
};

HttpAnswer blockingHttp(const std::string &host, int port, std::string_view method, std::string_view path,
    std::string_view headers, std::string_view body, int timeoutMs = 10000);
