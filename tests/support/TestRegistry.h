#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sb::testing {

// The Qt Tests compiled into one group executable (tst_<group>, see sb_add_qtest's GROUP):
// each registers how to run it under its name, and the group's main (TestGroupMain.cpp)
// runs the one its first argument names. Filled during static initialisation, before main.
class TestRegistry
{
public:
    // What a test's own main would do: build its application object and QTest::qExec.
    using RunFunction = int (*)(int argc, char *argv[]);

    // Registers the test of `sourceFile` (.../tst_<name>.cpp) as <name>; a name registered
    // twice aborts at start-up, before any test runs. Returns a value to initialise a static
    // with, so a macro at file scope can call it.
    static int add(const char *sourceFile, RunFunction run);
    // nullptr when no test of that name is in this executable.
    static RunFunction find(std::string_view name);
    static std::vector<std::string> names();
};

} // namespace sb::testing
