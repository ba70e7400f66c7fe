// sb_loadgen: the neutral load generator of the side-by-side benchmark (bench/compare,
// docs/benchmarks.md "Side by side: node, nginx + Nchan, RabbitMQ Web-STOMP").
#include "LoadRun.h"
#include "LoadgenCommandLine.h"

#include <csignal>

int main(int argc, char **argv)
{
    std::signal(SIGPIPE, SIG_IGN);
    const auto options = parseLoadgenCommandLine(argc, argv);
    if (!options)
        return 2;
    LoadRun run(*options);
    return run.run();
}
