#pragma once

// A small recording as the console writes one (File → Save Recording): three samples 5 s
// apart of the replicas, kafka, redis, traffic and alerts sections, each table's rows keyed
// by column with the recorded column order; recordingWithTraffic() adds the file's traffic
// section (four frames). Shared by the replay tests.
#include "models/RecordingStore.h"
#include "protocol/TapFrameCodec.h"

#include <QJsonArray>
#include <QJsonDocument>
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
        // Sessions 10, 11, 12 and tokens 5, 6, 7; node-1's STOMP frames 3i per second, 3i+1 in all.
        { QStringLiteral("redis"),
            QJsonObject { { QStringLiteral("figures"),
                QJsonObject {
                    { QStringLiteral("sessions"), 10 + i }, { QStringLiteral("tokens"), 5 + i } } } } },
        { QStringLiteral("traffic"),
            QJsonObject { { QStringLiteral("framesPerSecond"),
                QJsonObject {
                    { QStringLiteral("node-1 stomp"), 3 * i }, { QStringLiteral("total"), 3 * i + 1 } } } } },
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

// The traffic section's frames: alice's SEND at +1 s, its MESSAGE at +4 s, bob's SEND at
// +6 s and its MESSAGE at +9 s (saved in capture order: the +9 s one before the +6 s one).
inline QList<protocol::TrafficFrame> recordedFrames()
{
    QList<protocol::TrafficFrame> frames;
    const auto frame
        = [&frames](int atMs, const char *command, const char *user, protocol::TrafficFrame::Direction dir) {
              protocol::TrafficFrame f;
              f.tsMs = kRecordingStart.toMSecsSinceEpoch() + atMs;
              f.source = QStringLiteral("node-1");
              f.transport = protocol::TrafficFrame::Transport::Stomp;
              f.direction = dir;
              f.command = QString::fromLatin1(command);
              f.destination = QStringLiteral("/topic/chat");
              f.user = QString::fromLatin1(user);
              f.session = QStringLiteral("s-") + f.user;
              f.messageId = QStringLiteral("m-%1").arg(atMs);
              f.body = QByteArrayLiteral("{\"text\":\"hi\"}");
              f.bytes = f.body.size();
              frames << f;
          };
    frame(1000, "SEND", "alice", protocol::TrafficFrame::Direction::In);
    frame(4000, "MESSAGE", "alice", protocol::TrafficFrame::Direction::Out);
    frame(9000, "MESSAGE", "bob", protocol::TrafficFrame::Direction::Out);
    frame(6000, "SEND", "bob", protocol::TrafficFrame::Direction::In);
    return frames;
}

// {"traffic": …} as ConsoleTrafficRecording writes it beside the samples.
inline QJsonObject recordedTrafficSection()
{
    QJsonArray frames;
    for (const protocol::TrafficFrame &frame : recordedFrames())
        frames.append(QJsonDocument::fromJson(protocol::TapFrameCodec::encode(frame)).object());
    return { { QStringLiteral("traffic"),
        QJsonObject { { QStringLiteral("format"), QStringLiteral("switchboard-traffic/1") },
            { QStringLiteral("origin"), QStringLiteral("embedded demo cluster") },
            { QStringLiteral("frames"), frames }, { QStringLiteral("omitted"), 0 } } } };
}

// threeSampleRecording() as read back from a file that has the traffic section.
inline models::RecordingStore recordingWithTraffic()
{
    QJsonObject json = threeSampleRecording().toJson();
    json.insert(QStringLiteral("traffic"), recordedTrafficSection().value(QStringLiteral("traffic")));
    QString error;
    return *models::RecordingStore::fromJson(json, &error);
}

} // namespace sb::test
