#pragma once

#include "app/CommandLineOutcome.h"
#include "app/ConsoleOptions.h"

#include <QStringList>

class QCommandLineParser;

namespace sb::app {

// `switchboard [--profile NAME] [--snapshot DIR [--snapshot-after SECONDS]]`
class ConsoleCommandLine
{
public:
    CommandLineOutcome parse(const QStringList &arguments);
    const ConsoleOptions &options() const { return m_options; }

private:
    // --demo-population, --demo-rate, --demo-skew, --demo-stomp-share into `population`; empty, or why not.
    static QString demoPopulationFrom(const QCommandLineParser &parser, DemoPopulationOptions *population);

    ConsoleOptions m_options;
};

} // namespace sb::app
