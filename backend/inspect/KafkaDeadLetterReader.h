#pragma once

#include "cluster/KafkaSettings.h"
#include "inspect/KafkaDeadLetterRecord.h"

#include <functional>

namespace sb::inspect {

// Reads the last records of one dead-letter topic, blocking, on the Kafka area's worker
// thread (never the GUI's). Like the Traffic area's KafkaTopicTail it never joins a group
// and never commits: partitions are assign()ed with offsets it looked up (log end - N, not
// before log start), under a throwaway group.id no broker hears a commit for. Unlike the
// tail it wants a finished picture, not a stream: it reads each partition up to the log end
// it found and stops, so the listing says "these are the last N" and is redrivable as is.
//
// Bounded: at most maxRecords (<= kMaxRecords) newest across partitions; values beyond
// kValueBudgetBytes in total (newest first) are kept cut and marked, and such a record is
// not redriven. While reading, each partition's newest maxRecords are held before the newest
// maxRecords overall are kept. Each lookup waits at most requestTimeoutMs, the read at most readTimeoutMs.
class KafkaDeadLetterReader
{
public:
    static constexpr int kMaxRecords = 1000;
    static constexpr qsizetype kValueBudgetBytes = 64 * 1024 * 1024;
    static constexpr qsizetype kCutValueBytes = 4096;

    KafkaDeadLetterReader(
        cluster::KafkaSettings settings, int requestTimeoutMs = 3000, int readTimeoutMs = 10000);

    // `giveUp` is asked between polls (the area is closing).
    KafkaDeadLetterListing read(
        const QString &topic, int maxRecords, const std::function<bool()> &giveUp) const;

private:
    const cluster::KafkaSettings m_settings;
    const int m_requestTimeoutMs;
    const int m_readTimeoutMs;
};

} // namespace sb::inspect
