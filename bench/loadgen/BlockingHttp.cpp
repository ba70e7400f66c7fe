#include "BlockingHttp.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

HttpAnswer blockingHttp(const std::string &host, int port, std::string_view method, std::string_view path,
    std::string_view headers, std::string_view body, int timeoutMs)
{
    HttpAnswer answer;
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return answer;
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_port = htons(uint16_t(port));
    ::inet_pton(AF_INET, host.c_str(), &address.sin_addr);
    timeval timeout { timeoutMs / 1000, (timeoutMs % 1000) * 1000 };
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0) {
        ::close(fd);
        return answer;
    }
    std::string request = std::string(method) + ' ' + std::string(path) + " HTTP/1.1\r\nHost: " + host
        + "\r\nConnection: close\r\n" + std::string(headers);
    if (!body.empty() || method == "POST")
        request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    request += "\r\n";
    request += body;
    for (std::size_t sent = 0; sent < request.size();) {
        const ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) {
            ::close(fd);
            return answer;
        }
        sent += std::size_t(n);
    }
    std::string response;
    char chunk[16384];
    for (;;) {
        const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0)
            break;
        response.append(chunk, std::size_t(n));
    }
    ::close(fd);
    const std::size_t headEnd = response.find("\r\n\r\n");
    if (response.rfind("HTTP/1.", 0) != 0 || headEnd == std::string::npos)
        return answer;
    answer.status = std::atoi(response.c_str() + 9);
    answer.body = response.substr(headEnd + 4);
    // A chunked answer (e.g. /metrics) keeps its chunk lines: callers search it, never parse it whole.
    return answer;
}
