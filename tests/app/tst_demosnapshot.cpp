// The console's demo with its default population (issue 13): `switchboard --snapshot` run
// offscreen as a process; once it has settled (--snapshot-settled) state.json shows the
// simulated users connected, spread over the three replicas, as the Replicas area read them
// from the replicas, at 15 s after launch at the latest.
#include "support/TestMain.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {
constexpr int kDefaultUsers = 60;
constexpr int kReplicas = 3;
// Issue 13's bar: populated within 15 s of launch. A sanitizer build runs the nodes and the
// users several times slower (8 of 60 connected at 15 s on a loaded CI runner): 60 s there.
#if defined(__SANITIZE_ADDRESS__)
#define SB_TEST_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SB_TEST_UNDER_ASAN 1
#endif
#endif
#ifdef SB_TEST_UNDER_ASAN
constexpr bool kUnderSanitizer = true;
#else
constexpr bool kUnderSanitizer = false;
#endif
constexpr int kSnapshotLatestSeconds = kUnderSanitizer ? 60 : 15;
} // namespace

class TestDemoSnapshot : public QObject
{
    Q_OBJECT
private slots:
    void defaultPopulationFillsEveryReplica()
    {
        QTemporaryDir config;
        QTemporaryDir out;
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), config.path());
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        process.setProcessEnvironment(env);
        process.start(qEnvironmentVariable("SB_BINARY"),
            { QStringLiteral("--snapshot"), out.path(), QStringLiteral("--snapshot-settled"),
                QStringLiteral("--snapshot-after"), QString::number(kSnapshotLatestSeconds) });
        QVERIFY(process.waitForFinished((kSnapshotLatestSeconds + 30) * 1000));
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
        const QByteArray dump = QJsonDocument(replicas).toJson();

        // At least 50 of the 60 (a churned user may be away at the moment of the snapshot),
        // on all three replicas, each ready and holding its share.
        QVERIFY2(replicas.value(QStringLiteral("figures"))
                     .toObject()
                     .value(QStringLiteral("totalConnections"))
                     .toInt()
                >= kDefaultUsers * 5 / 6,
            dump.constData());
        // The users' own count (state.json "population") agrees with what the replicas said,
        // give or take the one user churn may have moved between the two readings.
        const QJsonObject population = state.value(QStringLiteral("population")).toObject();
        QCOMPARE(population.value(QStringLiteral("users")).toInt(), kDefaultUsers);
        // Connected or logged out, but for a user churn has in between (logging in again, or
        // its session just lost): 59 of 60 in the ASan suite of de2fb23's fresh-clone run.
        const int accounted = population.value(QStringLiteral("connected")).toInt()
            + population.value(QStringLiteral("loggedOut")).toInt();
        QVERIFY2(accounted >= kDefaultUsers - 2 && accounted <= kDefaultUsers,
            QJsonDocument(population).toJson().constData());
        QVERIFY2(qAbs(population.value(QStringLiteral("connected")).toInt()
                     - replicas.value(QStringLiteral("figures"))
                           .toObject()
                           .value(QStringLiteral("totalConnections"))
                           .toInt())
                <= 2,
            QJsonDocument(population).toJson().constData());
        QVERIFY(population.value(QStringLiteral("logins")).toInt() >= kDefaultUsers);
        const QJsonArray states = replicas.value(QStringLiteral("replicaStates")).toArray();
        QCOMPARE(states.size(), kReplicas);
        for (const QJsonValue &value : states) {
            const QJsonObject replica = value.toObject();
            QCOMPARE(replica.value(QStringLiteral("state")).toString(), QStringLiteral("ready"));
            // Even spread: 20 each; at least 15 allows for churn and a reconnect under way.
            QVERIFY2(
                replica.value(QStringLiteral("connections")).toInt() >= kDefaultUsers / kReplicas * 3 / 4,
                dump.constData());
        }
    }
};

SB_TEST_GUILESS_MAIN(TestDemoSnapshot)
#include "tst_demosnapshot.moc"
