// Runs the real switchboard binary the way a user would, and checks what it says and returns.
#include "support/TestMain.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class TestCliProcess : public QObject
{
    Q_OBJECT
    struct Result
    {
        int exitCode;
        QString out;
        QString err;
    };

    enum class Display { Offscreen, None };
    Result run(const QStringList &arguments, Display display = Display::Offscreen)
    {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_config.path());
        env.insert(QStringLiteral("XDG_RUNTIME_DIR"), m_runtime.path());
        if (display == Display::Offscreen) {
            env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        } else {
            for (const char *name : { "QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY" })
                env.remove(QLatin1String(name));
        }
        process.setProcessEnvironment(env);
        process.start(qEnvironmentVariable("SB_BINARY"), arguments);
        if (!process.waitForFinished(30000)) {
            process.kill();
            process.waitForFinished();
            return { -1, {}, QStringLiteral("timed out") };
        }
        return { process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2,
            QString::fromLocal8Bit(process.readAllStandardOutput()),
            QString::fromLocal8Bit(process.readAllStandardError()) };
    }

    QTemporaryDir m_config;
    QTemporaryDir m_runtime; // owner-only, so Qt does not warn on stderr

private slots:
    void initTestCase() { QVERIFY2(!qEnvironmentVariableIsEmpty("SB_BINARY"), "SB_BINARY not set"); }

    void badInputExitsTwoWithOneLine_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("unknown option")
            << QStringList { QStringLiteral("--frobnicate") } << QStringLiteral("frobnicate");
        QTest::newRow("unknown mode")
            << QStringList { QStringLiteral("cluster") } << QStringLiteral("cluster");
        QTest::newRow("bad snapshot-after") << QStringList { QStringLiteral("--snapshot"),
            m_config.filePath(QStringLiteral("s")), QStringLiteral("--snapshot-after"), QStringLiteral("x") }
                                            << QStringLiteral("--snapshot-after");
        QTest::newRow("unknown profile") << QStringList { QStringLiteral("--profile"),
            QStringLiteral("nosuch"), QStringLiteral("--snapshot"), m_config.filePath(QStringLiteral("s")) }
                                         << QStringLiteral("nosuch");
        QTest::newRow("node unknown option") << QStringList { QStringLiteral("node"),
            QStringLiteral("--frobnicate") } << QStringLiteral("frobnicate");
        QTest::newRow("node session timeout below 3 s")
            << QStringList { QStringLiteral("node"), QStringLiteral("--kafka-session-timeout-ms"),
                   QStringLiteral("500") }
            << QStringLiteral(
                   "--kafka-session-timeout-ms: expected a whole number from 3000 to 300000, got '500'");
        QTest::newRow("node idle timeout not a number") << QStringList { QStringLiteral("node"),
            QStringLiteral("--limit-http-idle-timeout-ms"), QStringLiteral("forever") }
                                                        << QStringLiteral("--limit-http-idle-timeout-ms");
        // The bridge is the bus other than --bus, during a switch (docs/operations.md).
        QTest::newRow("node bus bridge to the same bus") << QStringList { QStringLiteral("node"),
            QStringLiteral("--bus"), QStringLiteral("redis"), QStringLiteral("--bus-bridge"),
            QStringLiteral("redis") } << QStringLiteral("--bus-bridge: expected the bus other than --bus");
        QTest::newRow("node bus bridge to no bus") << QStringList { QStringLiteral("node"),
            QStringLiteral("--bus-bridge"), QStringLiteral("rabbit") }
                                                   << QStringLiteral("got 'rabbit'");
        QTest::newRow("devcluster bad replicas") << QStringList { QStringLiteral("devcluster"),
            QStringLiteral("--replicas"), QStringLiteral("many") }
                                                 << QStringLiteral("--replicas");
        QTest::newRow("devcluster bad bus") << QStringList { QStringLiteral("devcluster"),
            QStringLiteral("--bus"), QStringLiteral("carrier-pigeon") }
                                            << QStringLiteral("--bus");
    }
    void badInputExitsTwoWithOneLine()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, mentions);
        const Result result = run(arguments);
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.startsWith(QStringLiteral("switchboard: ")), qPrintable(result.err));
        QVERIFY2(result.err.contains(mentions), qPrintable(result.err));
        QCOMPARE(result.err.count(u'\n'), 1);
        QVERIFY(result.out.isEmpty());
    }

    void unknownProfileNeedsNoDisplay()
    {
        // Checked before any window exists: a one-line error and 2, not a platform abort.
        const Result result = run({ QStringLiteral("--profile"), QStringLiteral("nosuch") }, Display::None);
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains(QStringLiteral("unknown profile 'nosuch'")), qPrintable(result.err));
        QCOMPARE(result.err.count(u'\n'), 1);
    }

    void versionPrintsOneLine()
    {
        const Result result = run({ QStringLiteral("--version") });
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(result.out, QStringLiteral("switchboard " SB_VERSION "\n"));
    }

    void helpForEveryMode_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("mentions");
        QTest::addColumn<QString>("usage");
        QTest::newRow("console") << QStringList { QStringLiteral("--help") } << QStringLiteral("--profile")
                                 << QStringLiteral("Usage: switchboard [options]");
        QTest::newRow("node") << QStringList { QStringLiteral("node"), QStringLiteral("--help") }
                              << QStringLiteral("--listen")
                              << QStringLiteral("Usage: switchboard node [options] [hash-password]");
        QTest::newRow("devcluster") << QStringList { QStringLiteral("devcluster"), QStringLiteral("--help") }
                                    << QStringLiteral("--replicas")
                                    << QStringLiteral("Usage: switchboard devcluster [options]");
    }
    void helpForEveryMode()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, mentions);
        QFETCH(QString, usage);
        const Result result = run(arguments);
        QCOMPARE(result.exitCode, 0);
        QVERIFY2(result.out.contains(mentions), qPrintable(result.out));
        QVERIFY2(result.out.contains(usage),
            qPrintable(result.out)); // the real program name, not Qt's placeholder
    }
};

SB_TEST_GUILESS_MAIN(TestCliProcess)
#include "tst_cli_process.moc"
