#pragma once

#include "app/CommandLineOutcome.h"

#include <QStringList>

namespace sb::app {

// `switchboard devcluster`: embedded Kafka, a redis-server child and N node children.
class DevClusterMain
{
public:
    static CommandLineOutcome run(int argc, char **argv, const QStringList &arguments);
};

} // namespace sb::app
