#pragma once

#include <cstdint>
#include <sys/types.h>

// A process's CPU time and resident memory as Linux reports them (/proc/PID/stat fields
// 14 and 15, /proc/PID/status VmRSS). Zero when the process is gone or pid is 0.
struct ProcessStats
{
    double cpuSeconds = 0; // user + system since it started
    int64_t residentKiB = 0;

    static ProcessStats of(pid_t pid);
};
