#pragma once

#include "LoadgenOptions.h"

#include <optional>

// sb_loadgen's options, parsed with QCommandLineParser; nullopt (after printing why) when
// they do not make a run.
std::optional<LoadgenOptions> parseLoadgenCommandLine(int argc, char **argv);
