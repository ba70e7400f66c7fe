#pragma once

#include "cluster/RedisReply.h"

#include <QObject>

namespace sb::cluster {

// Carries one reply to a context object that lives on another thread. The caller
// connects ready() to its context with a queued connection; Qt then drops the delivery
// if the context is destroyed first, which a QPointer checked from the Redis thread
// could not guarantee without a race.
class RedisReplyRelay : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

Q_SIGNALS:
    void ready(const sb::cluster::RedisReply &reply);
};

} // namespace sb::cluster
