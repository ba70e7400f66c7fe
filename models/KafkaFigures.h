#pragma once

#include "inspect/KafkaClusterSnapshot.h"

#include <QJsonObject>

namespace sb::models {

// The Kafka view's headline: what one poll saw of the cluster as a whole.
struct KafkaFigures
{
    quint64 polls = 0;
    QDateTime at; // when the poll was taken (UTC)
    bool reachable = false;
    QString error;
    qint64 retryInMs = 0;
    QString groupsNote;
    int brokers = 0;
    int topics = 0;
    int partitions = 0;
    int groups = 0;
    int groupsInError = 0;
    int groupsLagging = 0;
    int groupsDown = 0; // their replica died without leaving; an error until the session times out
    int groupsRetired = 0; // their replica is gone for good: shown, never an alarm
    qint64 totalLag = 0; // retired groups left out: nothing will ever consume that lag
    qint64 deadLetters = 0;
    qint64 pollMs = 0;

    static KafkaFigures from(const sb::inspect::KafkaClusterSnapshot &snapshot);
    // What makes the status bar say "Kafka: degraded": a group in error or down. Lagging
    // (WARN) and retired groups do not.
    bool isDegraded() const { return reachable && (groupsInError > 0 || groupsDown > 0); }
    QJsonObject toJson() const;
};

} // namespace sb::models
