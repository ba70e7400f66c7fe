// The main of a test group executable (tst_<group>): `tst_<group> <test> [QTest arguments]`
// runs the one test, as its own executable would have run with the QTest arguments.

#include "support/TestRegistry.h"

#include <cstdio>
#include <string>
#include <vector>

int main(int argc, char *argv[])
{
    using sb::testing::TestRegistry;
    const TestRegistry::RunFunction run = argc >= 2 ? TestRegistry::find(argv[1]) : nullptr;
    if (!run) {
        if (argc >= 2)
            std::fprintf(stderr, "no test named %s here\n", argv[1]);
        std::fprintf(stderr, "usage: %s <test> [QTest arguments], the tests being:\n",
            argc >= 1 ? argv[0] : "tst_<group>");
        for (const std::string &name : TestRegistry::names())
            std::fprintf(stderr, "  %s\n", name.c_str());
        return 2;
    }
    // The test sees itself as .../tst_<test>, as when it was its own executable: argv[0] gives
    // the application name, hence its QSettings and QStandardPaths (test mode) directories,
    // which two tests of one group running at once must not share.
    std::string self = argv[0];
    const auto slash = self.find_last_of('/');
    self = (slash == std::string::npos ? std::string() : self.substr(0, slash + 1)) + "tst_" + argv[1];
    std::vector<char *> arguments { self.data() };
    for (int i = 2; i < argc; ++i)
        arguments.push_back(argv[i]);
    arguments.push_back(nullptr);
    return run(argc - 1, arguments.data());
}
