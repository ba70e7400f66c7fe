#pragma once

#include "app/CommandLineOutcome.h"

#include <QStringList>

namespace sb::app {

// `switchboard node`: one headless replica.
class NodeMain
{
public:
    static CommandLineOutcome run(int argc, char **argv, const QStringList &arguments);
};

} // namespace sb::app
