// sb_broadcast_server: the trivial broadcast server sb_loadgen measures its own ceiling
// against (BroadcastServer). Prints 'listening http://127.0.0.1:PORT' once it accepts.
#include "BroadcastServer.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>

int main(int argc, char **argv)
{
    std::signal(SIGPIPE, SIG_IGN);
    int port = 0;
    for (int i = 1; i + 1 < argc; ++i)
        if (std::strcmp(argv[i], "--port") == 0)
            port = std::atoi(argv[i + 1]);
    BroadcastServer server(uint16_t(port & 0xffff));
    if (!server.isListening()) {
        std::fprintf(stderr, "sb_broadcast_server: cannot listen on 127.0.0.1:%d\n", port);
        return 1;
    }
    std::printf("listening http://127.0.0.1:%u\n", unsigned(server.port()));
    std::fflush(stdout);
    server.run();
}
