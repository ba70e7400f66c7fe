#pragma once

#include "LoadgenOptions.h"
#include "PublisherLoop.h"
#include "StepResult.h"
#include "SubscriberLoop.h"

#include <memory>
#include <vector>

// One run: log in where the target needs it, open the subscribers and the publisher, then
// either hold them idle (scenario 1) or publish step by step (scenario 2), printing each
// step's StepResult. Returns the process's exit code.
class LoadRun
{
public:
    explicit LoadRun(const LoadgenOptions &options);
    int run();

private:
    bool open();
    StepResult runStep(double rate);
    int holdIdle();
    SubscriberLoop::Counts counts();
    uint64_t deliveries() const;

    LoadgenOptions m_options;
    std::vector<std::unique_ptr<SubscriberLoop>> m_subscribers;
    std::unique_ptr<PublisherLoop> m_publisher;
    uint64_t m_nextSequence = 0;
    int64_t m_residentBeforeKiB = 0;
};
