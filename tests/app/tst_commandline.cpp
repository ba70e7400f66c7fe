#include "app/ConsoleCommandLine.h"
#include "app/DevCluster.h"
#include "app/DevClusterCommandLine.h"
#include "app/ProbeCommandLine.h"
#include "support/TestMain.h"

#include <QTest>

using namespace sb::app;

class TestCommandLine : public QObject
{
    Q_OBJECT
private slots:
    void consoleRejects_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("unknown option")
            << QStringList { QStringLiteral("--bogus") } << QStringLiteral("bogus");
        QTest::newRow("unknown mode") << QStringList { QStringLiteral("nodes") } << QStringLiteral("nodes");
        QTest::newRow("snapshot-after not a number") << QStringList { QStringLiteral("--snapshot"),
            QStringLiteral("/tmp/x"), QStringLiteral("--snapshot-after"), QStringLiteral("soon") }
                                                     << QStringLiteral("--snapshot-after");
        QTest::newRow("snapshot-after negative") << QStringList { QStringLiteral("--snapshot"),
            QStringLiteral("/tmp/x"), QStringLiteral("--snapshot-after"), QStringLiteral("-1") }
                                                 << QStringLiteral("--snapshot-after");
        QTest::newRow("snapshot-after without snapshot") << QStringList { QStringLiteral("--snapshot-after"),
            QStringLiteral("3") } << QStringLiteral("--snapshot");
        QTest::newRow("snapshot-settled without snapshot")
            << QStringList { QStringLiteral("--snapshot-settled") } << QStringLiteral("--snapshot");
        QTest::newRow("profile missing value")
            << QStringList { QStringLiteral("--profile") } << QStringLiteral("profile");
        QTest::newRow("empty profile")
            << QStringList { QStringLiteral("--profile"), QString() } << QStringLiteral("--profile");
        QTest::newRow("window-size without height") << QStringList { QStringLiteral("--window-size"),
            QStringLiteral("1920") } << QStringLiteral("--window-size");
        QTest::newRow("window-size too small") << QStringList { QStringLiteral("--window-size"),
            QStringLiteral("320x200") } << QStringLiteral("640x480");
        QTest::newRow("window-size not numbers") << QStringList { QStringLiteral("--window-size"),
            QStringLiteral("widexhigh") } << QStringLiteral("--window-size");
        QTest::newRow("demo-population zero") << QStringList { QStringLiteral("--demo-population"),
            QStringLiteral("0") } << QStringLiteral("--demo-population");
        QTest::newRow("demo-population too many") << QStringList { QStringLiteral("--demo-population"),
            QStringLiteral("100000") } << QStringLiteral("1 to 1000");
        QTest::newRow("demo-rate not a number") << QStringList { QStringLiteral("--demo-rate"),
            QStringLiteral("fast") } << QStringLiteral("--demo-rate");
        QTest::newRow("demo-rate negative") << QStringList { QStringLiteral("--demo-rate"),
            QStringLiteral("-5") } << QStringLiteral("--demo-rate");
        QTest::newRow("demo-skew over 1") << QStringList { QStringLiteral("--demo-skew"),
            QStringLiteral("1.5") } << QStringLiteral("0 to 1");
        QTest::newRow("demo-stomp-share not finite") << QStringList { QStringLiteral("--demo-stomp-share"),
            QStringLiteral("nan") } << QStringLiteral("--demo-stomp-share");
        QTest::newRow("demo population with a profile") << QStringList { QStringLiteral("--profile"),
            QStringLiteral("prod"), QStringLiteral("--demo-population"), QStringLiteral("10") }
                                                        << QStringLiteral("demo cluster only");
        QTest::newRow("demo population on a replay") << QStringList { QStringLiteral("--open-recording"),
            QStringLiteral("x.sbrec.json"), QStringLiteral("--demo-rate"), QStringLiteral("5") }
                                                     << QStringLiteral("demo cluster only");
    }
    void consoleRejects()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, mentions);
        arguments.prepend(QStringLiteral("switchboard"));
        ConsoleCommandLine commandLine;
        const CommandLineOutcome outcome = commandLine.parse(arguments);
        QVERIFY(!outcome.run);
        QCOMPARE(outcome.exitCode, 2);
        QVERIFY2(outcome.standardError.contains(mentions), qPrintable(outcome.standardError));
        QCOMPARE(outcome.standardError.count(u'\n'), 1); // exactly one line
    }

    void consoleAccepts()
    {
        ConsoleCommandLine commandLine;
        const auto outcome = commandLine.parse({ QStringLiteral("switchboard"), QStringLiteral("--profile"),
            QStringLiteral("prod"), QStringLiteral("--snapshot"), QStringLiteral("/tmp/snap"),
            QStringLiteral("--snapshot-after"), QStringLiteral("0") });
        QVERIFY(outcome.run);
        QCOMPARE(commandLine.options().profile, QStringLiteral("prod"));
        QCOMPARE(commandLine.options().snapshotDirectory, QStringLiteral("/tmp/snap"));
        QCOMPARE(commandLine.options().snapshotAfterSeconds, 0);
        QVERIFY(!commandLine.options().windowSize.isValid());
    }

    // The demo's population (issue 13: "a configurable population"): the defaults unless given.
    void demoPopulation()
    {
        ConsoleCommandLine defaults;
        QVERIFY(defaults.parse({ QStringLiteral("switchboard") }).run);
        QCOMPARE(defaults.options().demoPopulation.users, 60);
        QCOMPARE(defaults.options().demoPopulation.messagesPerSecond, 20.0);
        QCOMPARE(defaults.options().demoPopulation.skew, 0.0);
        QCOMPARE(defaults.options().demoPopulation.stompShare, 0.6);
        ConsoleCommandLine given;
        QVERIFY(given
                    .parse({ QStringLiteral("switchboard"), QStringLiteral("--demo-population"),
                        QStringLiteral("12"), QStringLiteral("--demo-rate"), QStringLiteral("2.5"),
                        QStringLiteral("--demo-skew"), QStringLiteral("0.5"),
                        QStringLiteral("--demo-stomp-share"), QStringLiteral("1") })
                    .run);
        QCOMPARE(given.options().demoPopulation.users, 12);
        QCOMPARE(given.options().demoPopulation.messagesPerSecond, 2.5);
        QCOMPARE(given.options().demoPopulation.skew, 0.5);
        QCOMPARE(given.options().demoPopulation.stompShare, 1.0);
    }

    void windowSize()
    {
        ConsoleCommandLine commandLine;
        QVERIFY(commandLine
                    .parse({ QStringLiteral("switchboard"), QStringLiteral("--window-size"),
                        QStringLiteral("1920x1080") })
                    .run);
        QCOMPARE(commandLine.options().windowSize, QSize(1920, 1080));
    }

    void snapshotAfterDefaultsToFive()
    {
        ConsoleCommandLine commandLine;
        QVERIFY(
            commandLine
                .parse({ QStringLiteral("switchboard"), QStringLiteral("--snapshot"), QStringLiteral("d") })
                .run);
        QCOMPARE(commandLine.options().snapshotAfterSeconds, 5);
        QVERIFY(!commandLine.options().snapshotWhenSettled);
    }

    void snapshotSettledWaitsAtMostTheGivenOr120Seconds()
    {
        ConsoleCommandLine settled;
        QVERIFY(settled
                    .parse({ QStringLiteral("switchboard"), QStringLiteral("--snapshot"), QStringLiteral("d"),
                        QStringLiteral("--snapshot-settled") })
                    .run);
        QVERIFY(settled.options().snapshotWhenSettled);
        QCOMPARE(settled.options().snapshotAfterSeconds, 120);
        ConsoleCommandLine bounded;
        QVERIFY(bounded
                    .parse({ QStringLiteral("switchboard"), QStringLiteral("--snapshot"), QStringLiteral("d"),
                        QStringLiteral("--snapshot-settled"), QStringLiteral("--snapshot-after"),
                        QStringLiteral("30") })
                    .run);
        QCOMPARE(bounded.options().snapshotAfterSeconds, 30);
    }

    void versionAndHelpExitZero()
    {
        ConsoleCommandLine commandLine;
        auto version = commandLine.parse({ QStringLiteral("switchboard"), QStringLiteral("--version") });
        QVERIFY(!version.run);
        QCOMPARE(version.exitCode, 0);
        QCOMPARE(version.standardOutput, QStringLiteral("switchboard " SB_VERSION "\n"));
        auto help = ConsoleCommandLine().parse({ QStringLiteral("switchboard"), QStringLiteral("--help") });
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.standardOutput.contains(QStringLiteral("--snapshot")));
        QVERIFY(help.standardOutput.contains(QStringLiteral("devcluster")));
    }

    void devClusterValidates_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::newRow("defaults") << QStringList {} << -1;
        QTest::newRow("zero replicas")
            << QStringList { QStringLiteral("--replicas"), QStringLiteral("0") } << 2;
        QTest::newRow("replicas not a number")
            << QStringList { QStringLiteral("--replicas"), QStringLiteral("three") } << 2;
        QTest::newRow("bad bus") << QStringList { QStringLiteral("--bus"), QStringLiteral("rabbit") } << 2;
        QTest::newRow("redis bus") << QStringList { QStringLiteral("--bus"), QStringLiteral("redis") } << -1;
        QTest::newRow("stray argument") << QStringList { QStringLiteral("now") } << 2;
        QTest::newRow("demo traffic")
            << QStringList { QStringLiteral("--demo-traffic"), QStringLiteral("2.5") } << -1;
        QTest::newRow("demo traffic negative")
            << QStringList { QStringLiteral("--demo-traffic"), QStringLiteral("-1") } << 2;
        QTest::newRow("demo traffic too high")
            << QStringList { QStringLiteral("--demo-traffic"), QStringLiteral("1000") } << 2;
        QTest::newRow("child logs") << QStringList { QStringLiteral("--child-logs") } << -1;
        QTest::newRow("child logs take no value") << QStringList { QStringLiteral("--child-logs=yes") } << 2;
        QTest::newRow("redis restart after")
            << QStringList { QStringLiteral("--redis-restart-after-ms"), QStringLiteral("250") } << -1;
        QTest::newRow("redis restart never")
            << QStringList { QStringLiteral("--redis-restart-after-ms"), QStringLiteral("0") } << -1;
        QTest::newRow("redis restart negative")
            << QStringList { QStringLiteral("--redis-restart-after-ms"), QStringLiteral("-5") } << 2;
        QTest::newRow("redis restart not a number")
            << QStringList { QStringLiteral("--redis-restart-after-ms"), QStringLiteral("soon") } << 2;
        QTest::newRow("demo traffic not a number")
            << QStringList { QStringLiteral("--demo-traffic"), QStringLiteral("lots") } << 2;
        QTest::newRow("no control connection")
            << QStringList { QStringLiteral("--control-max-connections"), QStringLiteral("0") } << 2;
        QTest::newRow("control idle timeout too short")
            << QStringList { QStringLiteral("--control-idle-timeout-ms"), QStringLiteral("99") } << 2;
        QTest::newRow("control body past the parser's own cap")
            << QStringList { QStringLiteral("--control-max-body-bytes"), QStringLiteral("16385") } << 2;
        QTest::newRow("control bounds in range") << QStringList { QStringLiteral("--control-max-connections"),
            QStringLiteral("2"), QStringLiteral("--control-idle-timeout-ms"), QStringLiteral("500"),
            QStringLiteral("--control-max-body-bytes"), QStringLiteral("1024") }
                                                 << -1;
    }
    void devClusterValidates()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        arguments.prepend(QStringLiteral("switchboard devcluster"));
        DevClusterCommandLine commandLine;
        const auto outcome = commandLine.parse(arguments);
        if (exitCode < 0) {
            QVERIFY2(outcome.run, qPrintable(outcome.standardError));
        } else {
            QVERIFY(!outcome.run);
            QCOMPARE(outcome.exitCode, exitCode);
        }
    }
    void devClusterRedisRestartDelay()
    {
        DevClusterCommandLine defaults;
        QVERIFY(defaults.parse({ QStringLiteral("switchboard devcluster") }).run);
        QCOMPARE(defaults.options().redisRestartAfterMs, 1000);
        DevClusterCommandLine never;
        QVERIFY(never
                    .parse({ QStringLiteral("switchboard devcluster"),
                        QStringLiteral("--redis-restart-after-ms"), QStringLiteral("0") })
                    .run);
        QCOMPARE(never.options().redisRestartAfterMs, 0);
    }
    // --kafka-property reaches every replica's command line, in order; one without a key is
    // refused before anything starts.
    void devClusterKafkaProperties()
    {
        DevClusterCommandLine set;
        QVERIFY(set.parse({ QStringLiteral("switchboard devcluster"), QStringLiteral("--kafka-property"),
                              QStringLiteral("fetch.wait.max.ms=5"), QStringLiteral("--kafka-property"),
                              QStringLiteral("linger.ms=1") })
                    .run);
        const QStringList expected { QStringLiteral("fetch.wait.max.ms=5"), QStringLiteral("linger.ms=1") };
        QCOMPARE(set.options().kafkaProperties, expected);
        const sb::app::DevCluster cluster(set.options(), QStringLiteral("switchboard"));
        const QStringList arguments
            = cluster.nodeArguments(QStringLiteral("node-1"), QStringLiteral("127.0.0.1:0"));
        const qsizetype first = arguments.indexOf(QStringLiteral("fetch.wait.max.ms=5"));
        QVERIFY2(first > 0, qPrintable(arguments.join(u' ')));
        QCOMPARE(arguments.at(first - 1), QStringLiteral("--kafka-property"));
        QCOMPARE(arguments.value(first + 1), QStringLiteral("--kafka-property"));
        QCOMPARE(arguments.value(first + 2), QStringLiteral("linger.ms=1"));

        DevClusterCommandLine none;
        QVERIFY(none.parse({ QStringLiteral("switchboard devcluster") }).run);
        QVERIFY(!sb::app::DevCluster(none.options(), QStringLiteral("switchboard"))
                     .nodeArguments(QStringLiteral("node-1"), QStringLiteral("127.0.0.1:0"))
                     .contains(QStringLiteral("--kafka-property")));

        for (const QString &bad : { QStringLiteral("fetch.wait.max.ms"), QStringLiteral("=5") }) {
            const auto outcome = DevClusterCommandLine().parse(
                { QStringLiteral("switchboard devcluster"), QStringLiteral("--kafka-property"), bad });
            QVERIFY(!outcome.run);
            QCOMPARE(outcome.exitCode, 2);
            QVERIFY2(outcome.standardError.contains(QStringLiteral("KEY=VALUE")),
                qPrintable(outcome.standardError));
        }
    }
    void devClusterControlLimits()
    {
        DevClusterCommandLine defaults;
        QVERIFY(defaults.parse({ QStringLiteral("switchboard devcluster") }).run);
        QCOMPARE(
            defaults.options().controlLimits.maxConnections, sb::app::FaultControlLimits().maxConnections);
        DevClusterCommandLine set;
        QVERIFY(set.parse({ QStringLiteral("switchboard devcluster"),
                              QStringLiteral("--control-max-connections"), QStringLiteral("2"),
                              QStringLiteral("--control-idle-timeout-ms"), QStringLiteral("500"),
                              QStringLiteral("--control-max-body-bytes"), QStringLiteral("1024") })
                    .run);
        QCOMPARE(set.options().controlLimits.maxConnections, 2);
        QCOMPARE(set.options().controlLimits.idleTimeoutMs, 500);
        QCOMPARE(set.options().controlLimits.maxBodyBytes, qsizetype(1024));
    }
    // The console's demo shares, devcluster's --demo-traffic and probe's --timeout are read by
    // one CommandLineSupport::decimalOption: the same checks (finite, in range) and one wording.
    void decimalOptionsShareOneWording_data()
    {
        QTest::addColumn<QStringList>("arguments"); // the program first: it picks the parser
        QTest::addColumn<QString>("error");
        QTest::newRow("console share not a number") << QStringList {
            QStringLiteral("switchboard"), QStringLiteral("--demo-stomp-share"), QStringLiteral("half")
        } << QStringLiteral("--demo-stomp-share: expected a number from 0 to 1, got 'half'");
        QTest::newRow("console rate infinite") << QStringList {
            QStringLiteral("switchboard"), QStringLiteral("--demo-rate"), QStringLiteral("inf")
        } << QStringLiteral("--demo-rate: expected a number from 0 to 2000, got 'inf'");
        QTest::newRow("devcluster traffic too high")
            << QStringList { QStringLiteral("switchboard devcluster"), QStringLiteral("--demo-traffic"),
                   QStringLiteral("100.5") }
            << QStringLiteral("--demo-traffic: expected a number from 0 to 100, got '100.5'");
        // Once accepted: NaN compares false with both bounds.
        QTest::newRow("devcluster traffic not finite") << QStringList {
            QStringLiteral("switchboard devcluster"), QStringLiteral("--demo-traffic"), QStringLiteral("nan")
        } << QStringLiteral("--demo-traffic: expected a number from 0 to 100, got 'nan'");
        QTest::newRow("probe timeout zero")
            << QStringList { QStringLiteral("switchboard probe"), QStringLiteral("sse"),
                   QStringLiteral("http://h/s"), QStringLiteral("--timeout"), QStringLiteral("0") }
            << QStringLiteral("--timeout: expected a number from 0.001 to 604800, got '0'");
    }
    void decimalOptionsShareOneWording()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, error);
        CommandLineOutcome outcome;
        if (arguments.first() == u"switchboard devcluster")
            outcome = DevClusterCommandLine().parse(arguments);
        else if (arguments.first() == u"switchboard probe")
            outcome = ProbeCommandLine().parse(arguments);
        else
            outcome = ConsoleCommandLine().parse(arguments);
        QVERIFY(!outcome.run);
        QCOMPARE(outcome.exitCode, 2);
        QCOMPARE(outcome.standardError, QStringLiteral("switchboard: ") + error + u'\n');
    }
    void decimalOptionsAcceptInRange()
    {
        DevClusterCommandLine devCluster;
        QVERIFY(devCluster
                    .parse({ QStringLiteral("switchboard devcluster"), QStringLiteral("--demo-traffic"),
                        QStringLiteral(" 2.5 ") })
                    .run);
        QCOMPARE(devCluster.options().demoTrafficPerSecond, 2.5);
        ProbeCommandLine probe;
        QVERIFY(probe
                    .parse({ QStringLiteral("switchboard probe"), QStringLiteral("sse"),
                        QStringLiteral("http://h/s"), QStringLiteral("--timeout"), QStringLiteral("0.001") })
                    .run);
        QCOMPARE(probe.options().timeoutSeconds, 0.001);
    }
};

SB_TEST_GUILESS_MAIN(TestCommandLine)
#include "tst_commandline.moc"
