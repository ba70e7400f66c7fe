#pragma once

#include <functional>
#include <memory>

namespace sb::app {

// The answers to requests sent at once (one per replica), handed over together once the
// last has come, whatever order they come in. The fault watches ask every running replica
// at once (FaultMetricsReader, FaultStage1Control) and judge the cluster on all answers.
template<typename Answers> class FaultFanIn
{
public:
    using Done = std::function<void(const Answers &)>;

    // Null when `expected` is 0: `done` has then been called with no answers.
    static std::shared_ptr<FaultFanIn> expect(int expected, Done done)
    {
        if (expected <= 0) {
            done(Answers {});
            return nullptr;
        }
        return std::shared_ptr<FaultFanIn>(new FaultFanIn(expected, std::move(done)));
    }

    // One request's answer: `record` adds it to the answers; the last one hands them over.
    template<typename Record> void arrive(Record &&record)
    {
        record(m_answers);
        if (--m_left == 0)
            m_done(m_answers);
    }

private:
    FaultFanIn(int expected, Done done)
        : m_left(expected)
        , m_done(std::move(done))
    { }

    int m_left;
    Answers m_answers;
    Done m_done;
};

} // namespace sb::app
