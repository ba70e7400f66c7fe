#pragma once

#include "app/CommandLineOutcome.h"
#include "app/DevClusterOptions.h"

#include <QStringList>

namespace sb::app {

// `switchboard devcluster --replicas N [--bus kafka|redis] [--kafka B] [--redis URL]`
class DevClusterCommandLine
{
public:
    CommandLineOutcome parse(const QStringList &arguments);
    const DevClusterOptions &options() const { return m_options; }

private:
    DevClusterOptions m_options;
};

} // namespace sb::app
