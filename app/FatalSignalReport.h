#pragma once

namespace sb::app {

// A replica that dies of a fatal signal (glibc's heap check aborting on a corrupt chunk, a
// segfault) says so on stderr before it goes: the signal, the thread (id and name) and its
// stack, with function names where the binary exports them (both executables link with
// -rdynamic), then dies of the same signal, so its parent still sees the crash. A
// drain-time abort seen twice in CI runs and never reproduced (docs/reliability.md) left
// only "malloc_consolidate(): invalid chunk size"; this says where.
//
// Under AddressSanitizer or ThreadSanitizer only SIGABRT is taken: their own handlers report
// the others better.
class FatalSignalReport
{
public:
    // `who` prefixes the report ("switchboard node"); it must outlive the process.
    static void install(const char *who);
};

} // namespace sb::app
