#pragma once

#include "app/ApplicationIdentity.h"
#include "app/CommandLineOutcome.h"

#include <QStringList>

#include <optional>

namespace sb::app {

// Chooses the mode from the first argument: `node` and `devcluster` run headless (no
// QApplication, no display needed); anything else is the console.
class ModeDispatcher
{
public:
    static void identifyApplication() { app::identifyApplication(); }
    // Runs a headless mode to completion; nullopt when the arguments are for the console.
    static std::optional<CommandLineOutcome> runHeadlessMode(
        int argc, char **argv, const QStringList &arguments);
};

} // namespace sb::app
