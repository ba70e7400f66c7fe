#include "support/TestRegistry.h"

#include <cstdio>
#include <cstdlib>
#include <map>

namespace sb::testing {

namespace {

// A function-local static: registrations run from other files' static initialisers, in an
// order the linker chooses, so the map must exist on first use.
std::map<std::string, TestRegistry::RunFunction, std::less<>> &registry()
{
    static std::map<std::string, TestRegistry::RunFunction, std::less<>> tests;
    return tests;
}

// .../tst_modelview.cpp -> modelview: the same name as the CTest test and the file.
std::string testNameOf(std::string_view sourceFile)
{
    const auto slash = sourceFile.find_last_of('/');
    std::string_view name = slash == std::string_view::npos ? sourceFile : sourceFile.substr(slash + 1);
    if (name.starts_with("tst_"))
        name.remove_prefix(4);
    if (name.ends_with(".cpp"))
        name.remove_suffix(4);
    return std::string(name);
}

} // namespace

int TestRegistry::add(const char *sourceFile, RunFunction run)
{
    const auto [it, added] = registry().emplace(testNameOf(sourceFile), run);
    if (!added) {
        std::fprintf(stderr, "test %s registered twice (%s)\n", it->first.c_str(), sourceFile);
        std::abort();
    }
    return int(registry().size());
}

TestRegistry::RunFunction TestRegistry::find(std::string_view name)
{
    const auto it = registry().find(name);
    return it == registry().end() ? nullptr : it->second;
}

std::vector<std::string> TestRegistry::names()
{
    std::vector<std::string> result;
    for (const auto &entry : registry())
        result.push_back(entry.first);
    return result;
}

} // namespace sb::testing
