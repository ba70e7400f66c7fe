#pragma once

// A recording as large as an hour of a big cluster's, scaled to save in about a second at -O1
// (its samples' rows shared, implicitly), and the Traffic section a save builds on its
// thread: what the tests of a save off the GUI thread save (tst_recordingsave: File → Save
// Recording; tst_consolesnapshotschedule: the headless --save-recording).
#include "models/RecordingStore.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

namespace sb::test {

inline constexpr int kLargeRecordingSamples = 240;
inline constexpr int kLargeRecordingFrames = 30000;

// A sample as large as a big cluster's (100 rows a table, ~60 KB of JSON), the same rows
// shared by every sample (implicitly) and a figure that differs.
inline QJsonObject largeSavedSample(int i)
{
    static const QJsonArray rows = [] {
        QJsonArray made;
        for (int row = 0; row < 100; ++row) {
            QJsonObject cells;
            for (int column = 0; column < 10; ++column)
                cells.insert(QStringLiteral("column %1").arg(column),
                    QStringLiteral("partition %1 of topic %2, lag %3")
                        .arg(row)
                        .arg(column)
                        .arg(row * column));
            made.append(cells);
        }
        return made;
    }();
    return QJsonObject { { QStringLiteral("kafka"),
        QJsonObject { { QStringLiteral("partitions"), rows }, { QStringLiteral("figure"), i } } } };
}

// What the Traffic area's extras do at a recording's size: heavy JSON built on the saving thread.
inline QJsonObject largeTrafficSection()
{
    QJsonArray frames;
    for (int i = 0; i < kLargeRecordingFrames; ++i)
        frames.append(QJsonObject { { QStringLiteral("seq"), i },
            { QStringLiteral("source"), QStringLiteral("node-1") },
            { QStringLiteral("command"), QStringLiteral("MESSAGE") },
            { QStringLiteral("destination"), QStringLiteral("/topic/notifications.%1").arg(i % 50) } });
    return QJsonObject { { QStringLiteral("traffic"),
        QJsonObject { { QStringLiteral("frames"), frames } } } };
}

inline models::RecordingStore largeSavedRecording()
{
    models::RecordingStore store(kLargeRecordingSamples);
    const QDateTime start = QDateTime::fromSecsSinceEpoch(1764975600, Qt::UTC);
    for (int i = 0; i < kLargeRecordingSamples; ++i)
        store.append(start.addSecs(5 * i), largeSavedSample(i));
    return store;
}

// The file at `path` loads and holds every sample, the last one whole.
inline void checkCompleteRecording(const QString &path)
{
    QString error;
    const auto loaded = models::RecordingStore::load(path, &error);
    QVERIFY2(loaded, qPrintable(error));
    QCOMPARE(loaded->samples().size(), kLargeRecordingSamples);
    QCOMPARE(loaded->samples().last().state.value(QStringLiteral("kafka"))[QStringLiteral("figure")].toInt(),
        kLargeRecordingSamples - 1);
}

} // namespace sb::test
