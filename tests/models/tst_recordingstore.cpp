#include "models/RecordingStore.h"
#include "support/TestMain.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using sb::models::RecordingStore;

class TestRecordingStore : public QObject
{
    Q_OBJECT
private slots:
    void dropsOldestBeyondCapacity()
    {
        RecordingStore store(3);
        const QDateTime t0 = QDateTime::fromSecsSinceEpoch(1000, Qt::UTC);
        for (int i = 0; i < 5; ++i)
            store.append(t0.addSecs(i), QJsonObject { { QStringLiteral("i"), i } });
        QCOMPARE(store.samples().size(), 3);
        QCOMPARE(store.samples().first().state.value(QStringLiteral("i")).toInt(), 2);
        QCOMPARE(store.samples().last().state.value(QStringLiteral("i")).toInt(), 4);
    }

    void roundTripsThroughFile()
    {
        QTemporaryDir dir;
        RecordingStore store(10);
        const QDateTime at = QDateTime::fromMSecsSinceEpoch(1700000000123, Qt::UTC);
        store.append(at, QJsonObject { { QStringLiteral("replicas"), 3 } });
        QString error;
        const QString path = dir.filePath(QStringLiteral("r.sbrec.json"));
        QVERIFY2(store.save(path, &error), qPrintable(error));
        const auto loaded = RecordingStore::load(path, &error);
        QVERIFY2(loaded, qPrintable(error));
        QCOMPARE(loaded->samples().size(), 1);
        QCOMPARE(loaded->samples().first().at, at);
        QCOMPARE(loaded->samples().first().state.value(QStringLiteral("replicas")).toInt(), 3);
    }

    void savesExtraSectionsBesideTheSamples()
    {
        QTemporaryDir dir;
        RecordingStore store(10);
        store.append(QDateTime::fromMSecsSinceEpoch(1000, Qt::UTC), QJsonObject {});
        store.append(QDateTime::fromMSecsSinceEpoch(6000, Qt::UTC), QJsonObject {});
        QCOMPARE(store.firstAt().toMSecsSinceEpoch(), 1000);
        QCOMPARE(store.lastAt().toMSecsSinceEpoch(), 6000);
        QString error;
        const QString path = dir.filePath(QStringLiteral("r.sbrec.json"));
        const QJsonObject traffic { { QStringLiteral("frames"), 2 } };
        QVERIFY2(store.save(path, &error, QJsonObject { { QStringLiteral("traffic"), traffic } }),
            qPrintable(error));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject json = QJsonDocument::fromJson(file.readAll()).object();
        QCOMPARE(json.value(QStringLiteral("traffic")).toObject(), traffic);
        QCOMPARE(json.value(QStringLiteral("samples")).toArray().size(), 2);
        QVERIFY(RecordingStore::load(path, &error)); // still a recording
    }

    void rejectsWhatIsNotARecording_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("not json") << QByteArray("{{{") << QStringLiteral("not valid JSON");
        QTest::newRow("array") << QByteArray("[]") << QStringLiteral("not valid JSON");
        QTest::newRow("other format")
            << QByteArray(R"({"format":"x"})") << QStringLiteral("not a Switchboard recording");
        QTest::newRow("bad sample") << QByteArray(
            R"({"format":"switchboard-recording/1","samples":[{"at":"yesterday","state":{}}]})")
                                    << QStringLiteral("sample 1");
        QTest::newRow("truncated") << QByteArray(R"({"format":"switchboard-recording/1","samples":[)")
                                   << QStringLiteral("not valid JSON");
    }
    void rejectsWhatIsNotARecording()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, mentions);
        QTemporaryDir dir;
        QFile file(dir.filePath(QStringLiteral("bad.json")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(content);
        file.close();
        QString error;
        QVERIFY(!RecordingStore::load(file.fileName(), &error));
        QVERIFY2(error.contains(mentions), qPrintable(error));
    }

    void savedNamesGetTheExtension_data()
    {
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QString>("saved");
        QTest::newRow("no extension")
            << QStringLiteral("/tmp/incident") << QStringLiteral("/tmp/incident.sbrec.json");
        QTest::newRow("ours") << QStringLiteral("/tmp/a.sbrec.json") << QStringLiteral("/tmp/a.sbrec.json");
        QTest::newRow("another") << QStringLiteral("/tmp/a.json") << QStringLiteral("/tmp/a.json");
        QTest::newRow("dotted folder")
            << QStringLiteral("/tmp/v1.2/incident") << QStringLiteral("/tmp/v1.2/incident.sbrec.json");
        QTest::newRow("cancelled") << QString() << QString();
    }
    void savedNamesGetTheExtension()
    {
        QFETCH(QString, typed);
        QFETCH(QString, saved);
        QCOMPARE(RecordingStore::pathWithExtension(typed), saved);
    }

    // A name ending in .gz is saved gzip-compressed, and read back; a compressed file
    // opens whatever its name, and a damaged one is refused with a reason.
    void compressedRoundTrip()
    {
        QTemporaryDir dir;
        RecordingStore store(10);
        const QDateTime at = QDateTime::fromMSecsSinceEpoch(1700000000123, Qt::UTC);
        for (int i = 0; i < 10; ++i)
            store.append(at.addSecs(5 * i),
                QJsonObject {
                    { QStringLiteral("replicas"), QStringLiteral("node-1 ready, 12 connections") } });
        QString error;
        const QString plain = dir.filePath(QStringLiteral("r.sbrec.json"));
        const QString compressed = dir.filePath(QStringLiteral("r.sbrec.json.gz"));
        QVERIFY2(store.save(plain, &error), qPrintable(error));
        QVERIFY2(store.save(compressed, &error), qPrintable(error));
        QFile file(compressed);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        file.close();
        QCOMPARE(quint8(bytes.at(0)), quint8(0x1f)); // gzip's magic
        QCOMPARE(quint8(bytes.at(1)), quint8(0x8b));
        QVERIFY(bytes.size() * 3 < QFileInfo(plain).size());
        const auto loaded = RecordingStore::load(compressed, &error);
        QVERIFY2(loaded, qPrintable(error));
        QCOMPARE(loaded->samples().size(), 10);
        QCOMPARE(loaded->samples().last().at, at.addSecs(45));
        QVERIFY(QFile::rename(compressed, dir.filePath(QStringLiteral("renamed.json"))));
        QVERIFY2(
            RecordingStore::load(dir.filePath(QStringLiteral("renamed.json")), &error), qPrintable(error));

        QFile cut(dir.filePath(QStringLiteral("cut.sbrec.json.gz")));
        QVERIFY(cut.open(QIODevice::WriteOnly));
        cut.write(bytes.left(bytes.size() / 2));
        cut.close();
        QVERIFY(!RecordingStore::load(cut.fileName(), &error));
        QVERIFY2(error.contains(QStringLiteral("truncated")), qPrintable(error));
    }

    void compressedNamesGetTheirExtension()
    {
        QCOMPARE(RecordingStore::pathWithExtension(QStringLiteral("/tmp/incident"), true),
            QStringLiteral("/tmp/incident.sbrec.json.gz"));
        QCOMPARE(RecordingStore::pathWithExtension(QStringLiteral("/tmp/a.sbrec.json"), true),
            QStringLiteral("/tmp/a.sbrec.json"));
    }

    void missingFileSaysSo()
    {
        QString error;
        QVERIFY(!RecordingStore::load(QStringLiteral("/nonexistent/x.json"), &error));
        QVERIFY(error.contains(QStringLiteral("cannot open")));
    }
};

SB_TEST_GUILESS_MAIN(TestRecordingStore)
#include "tst_recordingstore.moc"
