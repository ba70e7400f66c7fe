#include "ProcessStats.h"

#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

ProcessStats ProcessStats::of(pid_t pid)
{
    ProcessStats stats;
    if (pid <= 0)
        return stats;
    const std::string dir = "/proc/" + std::to_string(pid);
    std::ifstream stat(dir + "/stat");
    std::string line;
    if (std::getline(stat, line)) {
        // The command name (field 2) may hold spaces; fields are counted after its ')'.
        const std::size_t close = line.rfind(')');
        std::istringstream fields(line.substr(close + 2));
        std::string field;
        uint64_t utime = 0;
        uint64_t stime = 0;
        for (int index = 3; fields >> field; ++index) {
            if (index == 14)
                utime = std::stoull(field);
            if (index == 15) {
                stime = std::stoull(field);
                break;
            }
        }
        stats.cpuSeconds = double(utime + stime) / double(sysconf(_SC_CLK_TCK));
    }
    std::ifstream status(dir + "/status");
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) {
            stats.residentKiB = std::stoll(line.substr(6));
            break;
        }
    }
    return stats;
}
