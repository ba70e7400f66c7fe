#pragma once

#include "cluster/NodeRegistry.h"

#include <QObject>

namespace sb::cluster {

// Carries one list() answer to a caller on another thread (CachedNodeRegistry). Created on
// the caller's thread with ready() connected, queued, to its context: Qt drops the delivery
// if the context is destroyed first, which calling into the context from the reading's
// thread could not guarantee without a race. The answer is set before ready() is emitted and
// read after it arrives, so the event queue orders the two.
class NodeListAnswer : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    bool ok = false;
    QList<NodeRegistry::Announced> nodes;

Q_SIGNALS:
    void ready();
};

} // namespace sb::cluster
