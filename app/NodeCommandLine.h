#pragma once

#include "app/CommandLineOutcome.h"
#include "app/NodeClusterOptions.h"
#include "node/NodeConfig.h"

#include <QHash>
#include <QStringList>

namespace sb::app {

// `switchboard node [options]` and `switchboard node hash-password`. Every option can also
// come from the environment (SB_<OPTION>, e.g. SB_GRACE_SECONDS) or a config file
// (--config FILE, lines `option = value`); the command line wins, then the environment,
// then the file, then the default.
class NodeCommandLine
{
public:
    CommandLineOutcome parse(const QStringList &arguments, const QHash<QString, QString> &environment);
    const node::NodeConfig &config() const { return m_config; }
    bool hashPasswordRequested() const { return m_hashPassword; }
    const NodeClusterOptions &clusterOptions() const { return m_cluster; }

    static QHash<QString, QString> systemEnvironment();

private:
    node::NodeConfig m_config;
    bool m_hashPassword = false;
    NodeClusterOptions m_cluster;
};

} // namespace sb::app
