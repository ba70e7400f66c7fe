#pragma once

#include <QString>
#include <QUrl>

namespace sb::app {

// A replica the demo population connects to: its id (node-1) and base URL
// (http://127.0.0.1:port), as a devcluster's `ready` endpoints name them.
struct DemoReplica
{
    QString id;
    QUrl url;
};

} // namespace sb::app
