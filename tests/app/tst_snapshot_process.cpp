// `switchboard --snapshot DIR` run as a process, offscreen: both files, valid JSON, one
// section per area, exit 0.
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

// The console with its own settings (no saved profiles or layout) and no display.
void useOwnConfigOffscreen(QProcess &process, const QString &configHome)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), configHome);
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    process.setProcessEnvironment(env);
}

class TestSnapshotProcess : public QObject
{
    Q_OBJECT
private slots:
    void writesWindowAndState()
    {
        QTemporaryDir config;
        QTemporaryDir out;
        const QString dir = out.filePath(QStringLiteral("snap/nested"));
        QProcess process;
        useOwnConfigOffscreen(process, config.path());
        QElapsedTimer clock;
        clock.start();
        process.start(qEnvironmentVariable("SB_BINARY"),
                      {QStringLiteral("--snapshot"), dir, QStringLiteral("--snapshot-after"), QStringLiteral("1")});
        QVERIFY(process.waitForFinished(60000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
        QVERIFY2(clock.elapsed() >= 1000, "the snapshot must wait --snapshot-after seconds");

        const QImage image(dir + QStringLiteral("/window.png"));
        QVERIFY(!image.isNull());
        QVERIFY(image.width() >= 640 && image.height() >= 400);

        QFile file(dir + QStringLiteral("/state.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
        QVERIFY2(document.isObject(), qPrintable(error.errorString()));
        const QJsonObject state = document.object();
        for (const char *area : {"replicas", "kafka", "redis", "traffic"}) {
            const QJsonObject section = state.value(QLatin1String(area)).toObject();
            QVERIFY2(!section.isEmpty(), area);
            QVERIFY(section.contains(QStringLiteral("rows")));
            QVERIFY(section.contains(QStringLiteral("figures")));
            QVERIFY(!section.value(QStringLiteral("message")).toString().isEmpty());
        }
        QCOMPARE(state.value(QStringLiteral("attachment")).toObject().value(QStringLiteral("target")).toString(),
                 QStringLiteral("embedded demo cluster"));
    }

    void demoClusterShowsLiveReplicasAndKeys()
    {
        // The default mode starts the embedded demo cluster (mock Kafka, a redis-server
        // child, three node children) and attaches the Replicas and Redis views to it.
        QTemporaryDir config;
        QTemporaryDir out;
        QProcess process;
        useOwnConfigOffscreen(process, config.path());
        process.start(qEnvironmentVariable("SB_BINARY"),
                      {QStringLiteral("--snapshot"), out.path(), QStringLiteral("--snapshot-after"), QStringLiteral("20")});
        QVERIFY(process.waitForFinished(90000));
        QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
        QFile file(out.filePath(QStringLiteral("state.json")));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject state = QJsonDocument::fromJson(file.readAll()).object();

        const QJsonObject replicas = state.value(QStringLiteral("replicas")).toObject();
        QCOMPARE(replicas.value(QStringLiteral("showing")).toString(), QStringLiteral("content"));
        const QJsonArray rows = replicas.value(QStringLiteral("rows")).toArray();
        QStringList ids;
        for (const QJsonValue &row : rows)
            for (const QJsonValue &cell : row.toObject())
                if (cell.toString().startsWith(QStringLiteral("node-")))
                    ids << cell.toString();
        ids.sort();
        QCOMPARE(ids, (QStringList{QStringLiteral("node-1"), QStringLiteral("node-2"), QStringLiteral("node-3")}));

        const QJsonObject redis = state.value(QStringLiteral("redis")).toObject();
        QCOMPARE(redis.value(QStringLiteral("showing")).toString(), QStringLiteral("content"));
        // At least the three sb:node:* keys the replicas announce themselves with.
        QVERIFY2(redis.value(QStringLiteral("figures")).toObject().value(QStringLiteral("keysListed")).toInt() >= 3,
                 QJsonDocument(redis).toJson().constData());
    }

    void unwritableDirectoryFails()
    {
        QTemporaryDir config;
        QTemporaryDir out;
        QFile blocker(out.filePath(QStringLiteral("file")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        QProcess process;
        useOwnConfigOffscreen(process, config.path());
        process.start(qEnvironmentVariable("SB_BINARY"),
                      {QStringLiteral("--snapshot"), blocker.fileName() + QStringLiteral("/sub"),
                       QStringLiteral("--snapshot-after"), QStringLiteral("0")});
        QVERIFY(process.waitForFinished(60000));
        QCOMPARE(process.exitCode(), 1);
        QVERIFY(process.readAllStandardError().contains("snapshot failed"));
    }
};

QTEST_GUILESS_MAIN(TestSnapshotProcess)
#include "tst_snapshot_process.moc"
