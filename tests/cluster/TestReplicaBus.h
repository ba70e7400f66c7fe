#pragma once

#include "BusTestWorld.h"

#include "cluster/KafkaEventBus.h"
#include "cluster/KafkaSettings.h"

#include <QUuid>

#include <memory>

namespace sb::testing {

// A replica's bus as a node assembles it, on group timings short enough for a test
// (tst_kafkaeventbus, RedisBusFixture): the options, then the bus with `world` recording
// what it persists and delivers. Not started. `bridgeOrderWaitMs` only counts on a bridged
// replica (tst_busbridgeorder turns the off-by-default order wait on).
inline sb::cluster::KafkaEventBusOptions testReplicaBusOptions(const sb::cluster::KafkaSettings &settings,
    const QByteArray &topicPrefix, const QByteArray &name, int bridgeOrderWaitMs = 0)
{
    sb::cluster::KafkaEventBusOptions options;
    options.settings = settings;
    options.topicPrefix = topicPrefix;
    options.nodeId = name;
    options.bootId = QUuid::createUuid().toByteArray(QUuid::Id128).left(12);
    options.sessionTimeoutMs = 6000;
    options.heartbeatIntervalMs = 300;
    options.producer.flushTimeoutMs = 3000;
    options.bridgeOrderWaitMs = bridgeOrderWaitMs;
    return options;
}

inline std::unique_ptr<sb::cluster::KafkaEventBus> makeTestReplicaBus(
    const sb::cluster::KafkaEventBusOptions &options, BusTestWorld &world)
{
    auto bus = std::make_unique<sb::cluster::KafkaEventBus>(options);
    bus->setPersistHandler(world.persistHandler());
    bus->setHandler(world.deliveryHandler(options.nodeId));
    return bus;
}

} // namespace sb::testing
