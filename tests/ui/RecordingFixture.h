#pragma once

// A small recording as the console writes one (File → Save Recording): three samples 5 s
// apart of the replicas, kafka and alerts sections, each table's rows keyed by column with
// the recorded column order. Shared by the replay tests.
#include "models/RecordingStore.h"

#include <QJsonArray>
#include <QJsonObject>

namespace sb::test {

inline QJsonObject recordedSample(int i)
{
    // node-2 goes down at the second sample; the stage-1 group's lag grows.
    const bool node2Down = i >= 1;
    const QJsonArray replicaRows { QJsonObject { { QStringLiteral("Replica"), QStringLiteral("node-1") },
                                       { QStringLiteral("State"), QStringLiteral("ready") },
                                       { QStringLiteral("Connections"), QString::number(20 + i) } },
        QJsonObject { { QStringLiteral("Replica"), QStringLiteral("node-2") },
            { QStringLiteral("State"), node2Down ? QStringLiteral("down") : QStringLiteral("ready") },
            { QStringLiteral("Connections"), node2Down ? QStringLiteral("—") : QStringLiteral("20") } } };
    const QJsonArray states { QJsonObject { { QStringLiteral("id"), QStringLiteral("node-1") },
                                  { QStringLiteral("state"), QStringLiteral("ready") },
                                  { QStringLiteral("connections"), 20 + i } },
        QJsonObject { { QStringLiteral("id"), QStringLiteral("node-2") },
            { QStringLiteral("state"), node2Down ? QStringLiteral("down") : QStringLiteral("ready") },
            { QStringLiteral("connections"), node2Down ? QJsonValue(QJsonValue::Null) : QJsonValue(20) } } };
    const QJsonArray groups { QJsonObject {
        { QStringLiteral("Group"), QStringLiteral("switchboard-notifications") },
        { QStringLiteral("Status"), i == 2 ? QStringLiteral("WARN") : QStringLiteral("OK") },
        { QStringLiteral("Lag"), i == 2 ? QStringLiteral("1,250") : QString::number(i * 10) } } };
    QJsonArray active;
    if (node2Down)
        active.append(QJsonObject { { QStringLiteral("severity"), QStringLiteral("critical") },
            { QStringLiteral("rule"), QStringLiteral("replica-down") },
            { QStringLiteral("subject"), QStringLiteral("node-2") } });
    return QJsonObject {
        { QStringLiteral("attachment"),
            QJsonObject { { QStringLiteral("target"), QStringLiteral("embedded demo cluster") } } },
        { QStringLiteral("replicas"),
            QJsonObject { { QStringLiteral("rows"), replicaRows },
                { QStringLiteral("columns"),
                    QJsonArray {
                        QStringLiteral("Replica"), QStringLiteral("State"), QStringLiteral("Connections") } },
                { QStringLiteral("replicaStates"), states },
                { QStringLiteral("figures"),
                    QJsonObject { { QStringLiteral("totalConnections"), node2Down ? 20 + i : 40 } } } } },
        { QStringLiteral("kafka"),
            QJsonObject { { QStringLiteral("groups"), groups },
                { QStringLiteral("groupColumns"),
                    QJsonArray { QStringLiteral("Group"), QStringLiteral("Status"), QStringLiteral("Lag") } },
                { QStringLiteral("figuresText"), QStringLiteral("3 brokers · lag %1").arg(i) } } },
        { QStringLiteral("alerts"),
            QJsonObject {
                { QStringLiteral("active"), active }, { QStringLiteral("recent"), QJsonArray() } } },
    };
}

inline const QDateTime kRecordingStart
    = QDateTime::fromSecsSinceEpoch(1764975600, Qt::UTC); // 2025-12-05T23:00:00Z

inline models::RecordingStore threeSampleRecording()
{
    models::RecordingStore store;
    for (int i = 0; i < 3; ++i)
        store.append(kRecordingStart.addSecs(5 * i), recordedSample(i));
    return store;
}

} // namespace sb::test
