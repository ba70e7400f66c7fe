#pragma once

#include "app/CommandLineOutcome.h"
#include "app/ConsoleOptions.h"

#include <QStringList>

namespace sb::app {

// `switchboard [--profile NAME] [--snapshot DIR [--snapshot-after SECONDS]]`
class ConsoleCommandLine
{
public:
    CommandLineOutcome parse(const QStringList &arguments);
    const ConsoleOptions &options() const { return m_options; }

private:
    ConsoleOptions m_options;
};

} // namespace sb::app
