// `switchboard fault` against a real devcluster's control endpoint: the exit codes (2 bad
// action or args, 1 no such replica or endpoint unreachable, 0 done), each with one line,
// and three actions whose effect the event log must record as observed: a replica killed
// (SIGKILL, /healthz/live refused, ready again on its port), poison records that reach
// the stage-1 DLT, and Redis restarted, which on the Kafka bus each replica says cost its
// stage 2 nothing.
#include "support/DevClusterProcess.h"
#include "support/TestMain.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTest>

using sb::testing::DevClusterProcess;

namespace {
struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

Run fault(const QStringList &arguments)
{
    QProcess process;
    process.start(qEnvironmentVariable("SB_BINARY"), QStringList { QStringLiteral("fault") } + arguments);
    Run run;
    if (!process.waitForFinished(30000)) {
        process.kill();
        process.waitForFinished(2000);
        return run;
    }
    run.exitCode = process.exitCode();
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

bool isOneLine(const QString &text)
{
    return !text.isEmpty() && text.indexOf(u'\n') == text.size() - 1;
}

// The control endpoint's event log.
QJsonArray events(QNetworkAccessManager &network, const QString &control)
{
    QNetworkRequest request(QUrl(control + QStringLiteral("/events")));
    request.setTransferTimeout(3000);
    QNetworkReply *reply = network.get(request);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    reply->deleteLater();
    return QJsonDocument::fromJson(reply->readAll()).object().value(QStringLiteral("events")).toArray();
}

QJsonObject eventWithId(const QJsonArray &all, int id)
{
    for (const QJsonValue &event : all)
        if (event.toObject().value(QStringLiteral("id")).toInt() == id)
            return event.toObject();
    return {};
}

int eventIdOf(const QString &out)
{
    const qsizetype at = out.lastIndexOf(QStringLiteral("(event "));
    return at < 0 ? 0 : out.mid(at + 7).section(u')', 0, 0).toInt();
}
} // namespace

class TestFaultCommand : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY2(!qEnvironmentVariableIsEmpty("SB_BINARY"), "SB_BINARY not set"); }

    void badActionOrArgumentsExitTwo_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("says");
        const QString control = QStringLiteral("--control=http://127.0.0.1:9");
        QTest::newRow("unknown action") << QStringList { QStringLiteral("explode"), control }
                                        << QStringLiteral("unknown fault action 'explode'");
        QTest::newRow("no action") << QStringList { control } << QStringLiteral("name an action");
        QTest::newRow("bad argument") << QStringList { QStringLiteral("poison"), QStringLiteral("count=0"),
            control } << QStringLiteral("count: expected a whole number");
        QTest::newRow("unknown argument") << QStringList { QStringLiteral("kill"), QStringLiteral("node-1"),
            QStringLiteral("signal=9"), control }
                                          << QStringLiteral("unknown argument 'signal'");
        QTest::newRow("no control") << QStringList { QStringLiteral("kill"), QStringLiteral("node-1") }
                                    << QStringLiteral("--control URL is required");
    }
    void badActionOrArgumentsExitTwo()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, says);
        const Run run = fault(arguments);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(says), qPrintable(run.err));
        QVERIFY2(isOneLine(run.err), qPrintable(run.err));
    }

    void unreachableEndpointExitsOne()
    {
        quint16 port = 0;
        {
            QTcpServer probe; // a port that was free a moment ago, and is closed now
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            port = probe.serverPort();
        }
        const Run run = fault({ QStringLiteral("kill"), QStringLiteral("node-1"), QStringLiteral("--control"),
            QStringLiteral("http://127.0.0.1:%1").arg(port) });
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(QStringLiteral("unreachable")), qPrintable(run.err));
        QVERIFY2(isOneLine(run.err), qPrintable(run.err));
    }

    void killAndPoisonThroughTheControlEndpoint()
    {
        DevClusterProcess cluster;
        QVERIFY2(cluster.start({ QStringLiteral("--replicas"), QStringLiteral("2") }),
            qPrintable(cluster.errorString()));
        const QString control = cluster.endpoints().value(QStringLiteral("control")).toString();
        QVERIFY2(control.startsWith(QStringLiteral("http://127.0.0.1:")), qPrintable(control));

        const Run missing = fault(
            { QStringLiteral("kill"), QStringLiteral("node-9"), QStringLiteral("--control"), control });
        QCOMPARE(missing.exitCode, 1);
        QVERIFY2(missing.err.contains(QStringLiteral("no such replica 'node-9'")), qPrintable(missing.err));
        QVERIFY2(isOneLine(missing.err), qPrintable(missing.err));

        const QUrl node2 = cluster.nodeUrls().value(1);
        const Run killed = fault({ QStringLiteral("kill"), QStringLiteral("node-2"),
            QStringLiteral("restartAfter=1"), QStringLiteral("--control"), control });
        QCOMPARE(killed.exitCode, 0);
        QVERIFY2(killed.out.contains(QStringLiteral("SIGKILL sent to node-2")), qPrintable(killed.out));
        const Run poisoned
            = fault({ QStringLiteral("poison"), QStringLiteral("3"), QStringLiteral("--control"), control });
        QCOMPARE(poisoned.exitCode, 0);
        const int killId = eventIdOf(killed.out);
        const int poisonId = eventIdOf(poisoned.out);
        QVERIFY(killId > 0 && poisonId > killId);

        QNetworkAccessManager network;
        QJsonObject kill;
        QJsonObject poison;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const QJsonArray all = events(network, control);
                kill = eventWithId(all, killId);
                poison = eventWithId(all, poisonId);
                return kill.value(QStringLiteral("effectState")).toString() != u"watching"
                    && poison.value(QStringLiteral("effectState")).toString() != u"watching";
            }(),
            40000);
        const QString killEffect = kill.value(QStringLiteral("effect")).toVariant().toStringList().join(u'|');
        QCOMPARE(kill.value(QStringLiteral("effectState")).toString(), QStringLiteral("observed"));
        QVERIFY2(killEffect.contains(QStringLiteral("killed by signal 9")), qPrintable(killEffect));
        QVERIFY2(killEffect.contains(QStringLiteral("/healthz/live refused")), qPrintable(killEffect));
        QVERIFY2(killEffect.contains(QStringLiteral("node-2 ready at ") + node2.toString()),
            qPrintable(killEffect));
        const QString poisonEffect
            = poison.value(QStringLiteral("effect")).toVariant().toStringList().join(u'|');
        QCOMPARE(poison.value(QStringLiteral("effectState")).toString(), QStringLiteral("observed"));
        // At least the three (a rebalance while node-2 is killed may dead-letter one again).
        const QRegularExpressionMatch grew
            = QRegularExpression(QStringLiteral("the DLT grew by (\\d+)")).match(poisonEffect);
        QVERIFY2(grew.hasMatch() && grew.captured(1).toInt() >= 3, qPrintable(poisonEffect));

        // Redis restarted on the Kafka bus: each replica's stage 2 is a Kafka consumer that reads
        // on from its committed offsets, so each says, from its own /metrics, it missed nothing.
        QElapsedTimer redisSection;
        redisSection.start();
        const Run redis = fault({ QStringLiteral("restart-redis"), QStringLiteral("--control"), control });
        QCOMPARE(redis.exitCode, 0);
        const int redisId = eventIdOf(redis.out);
        QVERIFY(redisId > poisonId);
        QJsonObject restart;
        QTRY_VERIFY_WITH_TIMEOUT((restart = eventWithId(events(network, control), redisId))
                                     .value(QStringLiteral("effectState"))
                                     .toString()
                != u"watching",
            70000);
        const QString redisEffect
            = restart.value(QStringLiteral("effect")).toVariant().toStringList().join(u'|');
        qInfo().noquote() << "restart-redis, observed in" << redisSection.elapsed() << "ms:" << redisEffect;
        QCOMPARE(restart.value(QStringLiteral("effectState")).toString(), QStringLiteral("observed"));
        QVERIFY2(redisEffect.contains(QStringLiteral("redis-server was killed by signal 9")),
            qPrintable(redisEffect));
        for (const QString &node : { QStringLiteral("node-1"), QStringLiteral("node-2") })
            QVERIFY2(redisEffect.contains(node
                         + QStringLiteral(
                             " (kafka bus): missed 0, its stage-2 consumer reads on from its committed "
                             "offsets (no catch-up)")),
                qPrintable(redisEffect));
    }
};

SB_TEST_GUILESS_MAIN(TestFaultCommand)
#include "tst_faultcommand.moc"
