#include "app/FatalSignalReport.h"

#include <csignal>
#include <cstring>
#include <execinfo.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SB_SANITIZER_HANDLES_FAULTS 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define SB_SANITIZER_HANDLES_FAULTS 1
#endif
#endif

namespace sb::app {

namespace {

const char *g_who = "switchboard";
// The handler's own stack, for the main thread: a stack overflow leaves none to run on.
char g_alternateStack[64 * 1024];

// Only async-signal-safe calls from here on: write(2), not stdio; no allocation.
void writeText(const char *text)
{
    const ssize_t written = ::write(STDERR_FILENO, text, std::strlen(text));
    static_cast<void>(written);
}

void writeNumber(long value)
{
    char digits[24];
    int at = int(sizeof digits) - 1;
    digits[at] = '\0';
    const bool negative = value < 0;
    unsigned long rest
        = negative ? 0UL - static_cast<unsigned long>(value) : static_cast<unsigned long>(value);
    do {
        digits[--at] = char('0' + rest % 10);
        rest /= 10;
    } while (rest != 0 && at > 1);
    if (negative)
        digits[--at] = '-';
    writeText(digits + at);
}

const char *signalName(int signalNumber)
{
    switch (signalNumber) {
    case SIGABRT:
        return "SIGABRT";
    case SIGSEGV:
        return "SIGSEGV";
    case SIGBUS:
        return "SIGBUS";
    case SIGFPE:
        return "SIGFPE";
    case SIGILL:
        return "SIGILL";
    default:
        return "?";
    }
}

void reportFatalSignal(int signalNumber)
{
    char threadName[17] = {};
    ::prctl(PR_GET_NAME, threadName, 0, 0, 0);
    writeText(g_who);
    writeText(": fatal signal ");
    writeNumber(signalNumber);
    writeText(" (");
    writeText(signalName(signalNumber));
    writeText(") in thread ");
    writeNumber(long(::syscall(SYS_gettid)));
    writeText(" \"");
    writeText(threadName);
    writeText("\"; its stack:\n");
    void *frames[64];
    const int depth = ::backtrace(frames, 64);
    ::backtrace_symbols_fd(frames, depth, STDERR_FILENO);
    // SA_RESETHAND put the default action back: the same signal ends the process as it would
    // have without this report (a core where cores are kept, "killed by signal N" for the parent).
    ::raise(signalNumber);
}

} // namespace

void FatalSignalReport::install(const char *who)
{
    g_who = who;
    // The first backtrace() loads libgcc's unwinder, which allocates: done now, not on a
    // corrupt heap inside the handler.
    void *warmUp[1];
    ::backtrace(warmUp, 1);

    stack_t alternate {};
    alternate.ss_sp = g_alternateStack;
    alternate.ss_size = sizeof g_alternateStack;
    ::sigaltstack(&alternate, nullptr);

    struct sigaction action
    {
    };
    action.sa_handler = reportFatalSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND | SA_ONSTACK;
#ifdef SB_SANITIZER_HANDLES_FAULTS
    const int fatalSignals[] = { SIGABRT };
#else
    const int fatalSignals[] = { SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL };
#endif
    for (const int signalNumber : fatalSignals)
        ::sigaction(signalNumber, &action, nullptr);
}

} // namespace sb::app
