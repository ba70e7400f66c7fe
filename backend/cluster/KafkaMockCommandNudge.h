#pragma once

#include <QtGlobal>

#include <condition_variable>
#include <mutex>
#include <thread>

namespace sb::cluster {

// Keeps one command to librdkafka's mock cluster from waiting out a lost wake-up.
//
// A command (rd_kafka_mock_topic_create, …_broker_set_down, …) is an op queued to the mock
// cluster's thread, whose queue writes one byte to a wake-up pipe when it goes from empty to
// one op. The thread's loop (rdkafka_mock.c, rd_kafka_mock_cluster_io_poll, in 2.0.2 and still
// upstream) is: poll(), serve the queued ops, then read the wake-up pipe dry. A command queued
// between the second and the third step — the caller's next command, queued the moment the
// previous one was answered — has its byte read and thrown away before any poll() sees it:
// the op waits out the poll's timeout, up to 1 s (`strace`: one such stall among the demo's
// five topic creations, in most launches).
//
// While it exists (a command outstanding), this opens and at once closes a TCP connection to a
// broker's listening port every intervalMs: that wakes the mock thread's poll(), whose loop
// serves the queued ops before anything else. A command answered sooner (the usual case) sees
// no connection at all. A broker that is down is not polled: commands issued while every broker
// is down (setBrokersUp) can still wait out the timeout.
class KafkaMockCommandNudge
{
public:
    static constexpr int kIntervalMs = 5;
    explicit KafkaMockCommandNudge(quint16 brokerPort, int intervalMs = kIntervalMs);
    ~KafkaMockCommandNudge();
    KafkaMockCommandNudge(const KafkaMockCommandNudge &) = delete;
    KafkaMockCommandNudge &operator=(const KafkaMockCommandNudge &) = delete;

    // The command was answered: stops poking (joins the thread). Returns how many
    // connections were opened. The destructor does the same.
    int finish();

private:
    void run();

    const quint16 m_port;
    const int m_intervalMs;
    std::mutex m_mutex;
    std::condition_variable m_answered;
    bool m_done = false;
    int m_nudges = 0;
    std::thread m_thread; // last: started once the members above exist
};

} // namespace sb::cluster
