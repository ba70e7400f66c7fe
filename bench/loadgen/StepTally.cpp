#include "StepTally.h"

#include <algorithm>

void StepTally::merge(const StepTally &other)
{
    unique += other.unique;
    duplicates += other.duplicates;
    outsideStep += other.outsideStep;
    misrouted += other.misrouted;
    lastDeliveryMicros = std::max(lastDeliveryMicros, other.lastDeliveryMicros);
    latency.merge(other.latency);
}
