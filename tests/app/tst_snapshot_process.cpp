// `switchboard --snapshot DIR` run as a process, offscreen: both files, valid JSON, one
// section per area, exit 0.
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSettings>
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
            { QStringLiteral("--snapshot"), dir, QStringLiteral("--snapshot-after"), QStringLiteral("1"),
                QStringLiteral("--window-size"), QStringLiteral("1920x1080") });
        QVERIFY(process.waitForFinished(60000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
        QVERIFY2(clock.elapsed() >= 1000, "the snapshot must wait --snapshot-after seconds");

        const QImage image(dir + QStringLiteral("/window.png"));
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), QSize(1920, 1080)); // --window-size
        // Each area as drawn, for checking what a reader sees; together they fill the window.
        qint64 areaPixels = 0;
        for (const char *area : { "replicas", "kafka", "redis", "traffic" }) {
            const QImage part(dir + QStringLiteral("/area-") + QLatin1String(area) + QStringLiteral(".png"));
            QVERIFY2(!part.isNull(), area);
            QVERIFY2(part.width() >= 400 && part.height() >= 200, area);
            areaPixels += qint64(part.width()) * part.height();
        }
        QVERIFY2(areaPixels > qint64(1920) * 1080 * 7 / 10, qPrintable(QString::number(areaPixels)));
        // The Alerts and Faults panels, closed in this layout, drawn at about the window's width
        // (their docks opened floating for the picture, after window.png).
        for (const char *panel : { "alerts", "faults" }) {
            const QImage part(
                dir + QStringLiteral("/panel-") + QLatin1String(panel) + QStringLiteral(".png"));
            QVERIFY2(!part.isNull(), panel);
            QVERIFY2(part.width() >= 1800 && part.height() >= 240,
                qPrintable(QStringLiteral("%1: %2x%3")
                               .arg(QLatin1String(panel))
                               .arg(part.width())
                               .arg(part.height())));
        }

        QFile file(dir + QStringLiteral("/state.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
        QVERIFY2(document.isObject(), qPrintable(error.errorString()));
        const QJsonObject state = document.object();
        for (const char *area : { "replicas", "kafka", "redis", "traffic" }) {
            const QJsonObject section = state.value(QLatin1String(area)).toObject();
            QVERIFY2(!section.isEmpty(), area);
            QVERIFY(section.contains(QStringLiteral("rows")));
            QVERIFY(section.contains(QStringLiteral("figures")));
            QVERIFY(!section.value(QStringLiteral("message")).toString().isEmpty());
            // How old the area's picture is, and whether its source stopped answering.
            QVERIFY2(section.contains(QStringLiteral("asOf")), area);
            QVERIFY2(section.value(QStringLiteral("stale")).isBool(), area);
        }
        QCOMPARE(
            state.value(QStringLiteral("attachment")).toObject().value(QStringLiteral("target")).toString(),
            QStringLiteral("embedded demo cluster"));
    }

    void demoClusterShowsLiveReplicasAndKeys()
    {
        // The default mode starts the embedded demo cluster (mock Kafka, a redis-server
        // child, three node children), attaches the Replicas, Redis and Kafka views to it,
        // and runs the demo population (60 simulated users chatting at 20 messages a second),
        // so every view shows a cluster at work.
        QTemporaryDir config;
        QTemporaryDir out;
        QProcess process;
        useOwnConfigOffscreen(process, config.path());
        process.start(qEnvironmentVariable("SB_BINARY"),
            { QStringLiteral("--snapshot"), out.path(), QStringLiteral("--snapshot-settled"),
                QStringLiteral("--snapshot-after"), QStringLiteral("90") });
        // Settled, not a fixed time: under a loaded CI (the sanitizer build, tests in parallel)
        // the cluster takes up to ~15 s to be ready, then the stage-1 group rebalances before
        // its first commit; on a quiet machine all of it takes a few seconds.
        QVERIFY(process.waitForFinished(120000));
        QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
        QFile file(out.filePath(QStringLiteral("state.json")));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject state = QJsonDocument::fromJson(file.readAll()).object();
        QVERIFY2(state.value(QStringLiteral("settled")).toBool(),
            qPrintable(state.value(QStringLiteral("unsettled"))
                           .toVariant()
                           .toStringList()
                           .join(QStringLiteral("; "))));

        const QJsonObject replicas = state.value(QStringLiteral("replicas")).toObject();
        QCOMPARE(replicas.value(QStringLiteral("showing")).toString(), QStringLiteral("content"));
        const QJsonArray rows = replicas.value(QStringLiteral("rows")).toArray();
        QStringList ids;
        for (const QJsonValue &row : rows)
            for (const QJsonValue &cell : row.toObject())
                if (cell.toString().startsWith(QStringLiteral("node-")))
                    ids << cell.toString();
        ids.sort();
        QCOMPARE(ids,
            (QStringList { QStringLiteral("node-1"), QStringLiteral("node-2"), QStringLiteral("node-3") }));

        const QJsonObject redis = state.value(QStringLiteral("redis")).toObject();
        QCOMPARE(redis.value(QStringLiteral("showing")).toString(), QStringLiteral("content"));
        // At least the three sb:node:* keys the replicas announce themselves with.
        QVERIFY2(redis.value(QStringLiteral("figures")).toObject().value(QStringLiteral("keysListed")).toInt()
                >= 3,
            QJsonDocument(redis).toJson().constData());
        // The demo population (60 users; tst_demosnapshot checks their spread).
        QVERIFY(replicas.value(QStringLiteral("figures"))
                    .toObject()
                    .value(QStringLiteral("totalConnections"))
                    .toInt()
            >= 50);

        const QJsonObject kafka = state.value(QStringLiteral("kafka")).toObject();
        QCOMPARE(kafka.value(QStringLiteral("showing")).toString(), QStringLiteral("content"));
        const QJsonObject figures = kafka.value(QStringLiteral("figures")).toObject();
        QVERIFY2(
            figures.value(QStringLiteral("reachable")).toBool(), QJsonDocument(kafka).toJson().constData());
        QCOMPARE(figures.value(QStringLiteral("brokers")).toInt(), 3);
        QCOMPARE(figures.value(QStringLiteral("deadLetters")).toInt(), 0);
        // The mock cannot list groups: the note says so, and the groups come from the registry.
        QVERIFY(kafka.value(QStringLiteral("note")).toString().contains(QStringLiteral("ListGroups")));
        bool stage1Seen = false;
        for (const QJsonValue &row : kafka.value(QStringLiteral("groups")).toArray()) {
            const QJsonObject group = row.toObject();
            if (group.value(QStringLiteral("Group")).toString()
                != QStringLiteral("switchboard-notifications"))
                continue;
            stage1Seen = true;
            QCOMPARE(group.value(QStringLiteral("Found by")).toString(), QStringLiteral("registry"));
            // Messages flowed and were committed: partitions with offsets, judged.
            QVERIFY2(group.value(QStringLiteral("Partitions")).toString().toInt() > 0,
                QJsonDocument(group).toJson().constData());
            QVERIFY2(group.value(QStringLiteral("Status")).toString() == QStringLiteral("OK")
                    || group.value(QStringLiteral("Status")).toString() == QStringLiteral("WARN"),
                QJsonDocument(group).toJson().constData());
        }
        QVERIFY(stage1Seen);
        qint64 created = -1;
        for (const QJsonValue &row : kafka.value(QStringLiteral("topics")).toArray()) {
            if (row.toObject().value(QStringLiteral("Topic")).toString()
                == QStringLiteral("switchboard.MessageCreatedEvent"))
                created = row.toObject().value(QStringLiteral("Messages")).toString().toLongLong();
        }
        QVERIFY2(created > 0, QJsonDocument(kafka).toJson().constData());
    }

    // A profile whose Redis user has no password (not remembered): headless, the console
    // cannot ask, so it says how to give one and exits 2; with SB_REDIS_PASSWORD it runs.
    void missingRedisPasswordSaysHowToGiveIt()
    {
        QTemporaryDir config;
        QTemporaryDir out;
        {
            QSettings settings(
                config.filePath(QStringLiteral("switchboard/switchboard.conf")), QSettings::IniFormat);
            settings.setValue(
                QStringLiteral("profiles/acl/redisUrl"), QStringLiteral("redis://ops@127.0.0.1:1/0"));
            settings.setValue(QStringLiteral("profiles/acl/rememberPassword"), false);
            settings.setValue(QStringLiteral("profiles/acl/useRegistry"), false);
        }
        QProcess process;
        useOwnConfigOffscreen(process, config.path());
        process.start(qEnvironmentVariable("SB_BINARY"),
            { QStringLiteral("--profile"), QStringLiteral("acl"), QStringLiteral("--snapshot"), out.path(),
                QStringLiteral("--snapshot-after"), QStringLiteral("0") });
        QVERIFY(process.waitForFinished(60000));
        const QByteArray error = process.readAllStandardError();
        QVERIFY2(process.exitCode() == 2, error.constData());
        QVERIFY2(error.contains("SB_REDIS_PASSWORD") && error.contains("ops"), error.constData());
        QVERIFY(!QFile::exists(out.filePath(QStringLiteral("state.json"))));

        QProcess given;
        useOwnConfigOffscreen(given, config.path());
        QProcessEnvironment env = given.processEnvironment();
        env.insert(QStringLiteral("SB_REDIS_PASSWORD"), QStringLiteral("from-the-environment"));
        given.setProcessEnvironment(env);
        given.start(qEnvironmentVariable("SB_BINARY"),
            { QStringLiteral("--profile"), QStringLiteral("acl"), QStringLiteral("--snapshot"), out.path(),
                QStringLiteral("--snapshot-after"), QStringLiteral("1") });
        QVERIFY(given.waitForFinished(60000));
        QVERIFY2(given.exitCode() == 0, given.readAllStandardError().constData());
        QFile file(out.filePath(QStringLiteral("state.json")));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject redis = QJsonDocument::fromJson(file.readAll())
                                      .object()
                                      .value(QStringLiteral("attachment"))
                                      .toObject()
                                      .value(QStringLiteral("connections"))
                                      .toObject()
                                      .value(QStringLiteral("redis"))
                                      .toObject();
        // Port 1 refuses: the password was taken, the server is just not there.
        QVERIFY2(!redis.value(QStringLiteral("detail")).toString().contains(QStringLiteral("password")),
            qPrintable(redis.value(QStringLiteral("detail")).toString()));
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
            { QStringLiteral("--snapshot"), blocker.fileName() + QStringLiteral("/sub"),
                QStringLiteral("--snapshot-after"), QStringLiteral("0") });
        QVERIFY(process.waitForFinished(60000));
        QCOMPARE(process.exitCode(), 1);
        QVERIFY(process.readAllStandardError().contains("snapshot failed"));
    }
};

QTEST_GUILESS_MAIN(TestSnapshotProcess)
#include "tst_snapshot_process.moc"
