// The console attached to a saved profile, as `switchboard --profile NAME` runs it, against
// real parts: a redis-server that lets in only an ACL user, librdkafka's mock cluster and a
// `switchboard node` process. The password field logs an ACL user in (after a relaunch
// too), a missing password is asked for, File → Profiles… → Test connection says per part
// what failed without holding the GUI thread, and an outage dates every area's picture.
#include "app/ConsoleController.h"
#include "app/KafkaAreaAssembly.h"
#include "app/RedisAreaAssembly.h"
#include "app/ReplicasAreaAssembly.h"
#include "cluster/KafkaMockCluster.h"
#include "cluster/RedisConnection.h"
#include "cluster/RedisHashWriter.h"
#include "models/ProfileStore.h"
#include "models/ReplicaModel.h"
#include "support/RedisServerProcess.h"
#include "ui/AreaView.h"
#include "ui/MainWindow.h"
#include "ui/ProfilesDialog.h"

#include <QApplication>
#include <QDialog>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QTreeWidget>

#include <csignal>
#include <memory>

using namespace sb;
using namespace Qt::StringLiterals;

namespace {

const QString kUser = u"ops"_s;
const QString kPassword = u"0ps-acl-pw"_s;

// One `switchboard node` child (port 0, --demo-users: admin/admin), killed by pid.
struct Node
{
    std::unique_ptr<QProcess> process = std::make_unique<QProcess>();
    quint16 port = 0;

    ~Node()
    {
        if (process->state() != QProcess::NotRunning) {
            ::kill(pid_t(process->processId()), SIGKILL);
            process->waitForFinished(5000);
        }
    }
    bool start(QString *error)
    {
        process->setProgram(qEnvironmentVariable("SB_BINARY"));
        process->setArguments({ u"node"_s, u"--id"_s, u"checked-node"_s, u"--listen"_s, u"127.0.0.1:0"_s,
            u"--demo-users"_s, u"--workers"_s, u"1"_s });
        process->start();
        if (!process->waitForStarted(5000)) {
            *error = process->errorString();
            return false;
        }
        static const QRegularExpression listening(u"listening http://127\\.0\\.0\\.1:(\\d+)"_s);
        QByteArray out;
        QDeadlineTimer deadline(15000);
        while (port == 0 && !deadline.hasExpired() && process->state() == QProcess::Running) {
            process->waitForReadyRead(200);
            out += process->readAllStandardOutput();
            const auto match = listening.match(QString::fromUtf8(out));
            if (match.hasMatch())
                port = quint16(match.captured(1).toUInt());
        }
        *error = QString::fromUtf8(out);
        return port != 0;
    }
    QString url(const QString &path) const { return u"http://127.0.0.1:%1%2"_s.arg(port).arg(path); }
};

QStringList aclServerArgs()
{
    // The default user is off: only AUTH as the ACL user gets in.
    return { u"--user"_s, u"default"_s, u"off"_s, u"--user"_s, kUser, u"on"_s, u'>' + kPassword, u"~*"_s,
        u"&*"_s, u"+@all"_s };
}

QString aclUrl(const testing::RedisServerProcess &server)
{
    return u"redis://%1@127.0.0.1:%2/0"_s.arg(kUser).arg(server.port());
}

QLabel *health(ui::MainWindow *window, const QString &service)
{
    return window->findChild<QLabel *>(service + u"Health"_s);
}

// The console attached to saved profile `profile`, interactive (no snapshot).
app::ConsoleOptions optionsFor(const QString &profile)
{
    app::ConsoleOptions options;
    options.profile = profile;
    return options;
}
} // namespace

class TestConsoleProfile : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"switchboard-test"_s);
        QCoreApplication::setApplicationName(u"tst_consoleprofile"_s);
        QSettings().clear();
        QFile::remove(models::ProfileStore().secretsPath());
        m_redis = std::make_unique<testing::RedisServerProcess>(aclServerArgs());
        QVERIFY2(m_redis->start(), qPrintable(m_redis->errorString()));
    }

    void cleanup()
    {
        // A prompt or dialog a failed test left open must not block the next one.
        for (QWidget *widget : QApplication::topLevelWidgets())
            if (auto *dialog = qobject_cast<QDialog *>(widget))
                dialog->reject();
    }

    // redis://ops@host:port with the password in the password field, remembered: the
    // console logs in as ops, also in a new process (a new ProfileStore reads it back).
    void aclUserLogsInWithThePasswordField()
    {
        models::Profile profile;
        profile.name = u"acl"_s;
        profile.redisUrl = aclUrl(*m_redis);
        profile.redisPassword = kPassword;
        profile.rememberPassword = true;
        QString error;
        QVERIFY2(models::ProfileStore().save(profile, &error), qPrintable(error));

        app::ConsoleController controller(optionsFor(u"acl"_s));
        QVERIFY2(controller.start(&error), qPrintable(error));
        QLabel *redis = health(controller.window(), u"redis"_s);
        QVERIFY(redis);
        QTRY_VERIFY2_WITH_TIMEOUT(
            redis->text().contains(u"Redis: up"_s), qPrintable(redis->toolTip()), 10000);
        // The registry reads the same Redis as the same user.
        QLabel *replicas = health(controller.window(), u"replicas"_s);
        QTRY_VERIFY2_WITH_TIMEOUT(
            !replicas->text().contains(u"connecting"_s), qPrintable(replicas->toolTip()), 10000);
        QVERIFY2(!replicas->toolTip().contains(u"password"_s), qPrintable(replicas->toolTip()));
        QVERIFY2(!replicas->text().contains(u"down"_s), qPrintable(replicas->toolTip()));
    }

    // The same profile without a remembered password: the console asks for it, then logs in.
    void missingPasswordIsAskedFor()
    {
        models::Profile profile;
        profile.name = u"ask"_s;
        profile.redisUrl = aclUrl(*m_redis);
        QString error;
        QVERIFY2(models::ProfileStore().save(profile, &error), qPrintable(error));

        app::ConsoleController controller(optionsFor(u"ask"_s));
        QVERIFY2(controller.start(&error), qPrintable(error));
        QDialog *prompt = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT(
            (prompt = controller.window()->findChild<QDialog *>(u"profilePasswordPrompt"_s)), 5000);
        QTRY_VERIFY(prompt->isVisible());
        auto *field = prompt->findChild<QLineEdit *>(u"redisPasswordInput"_s);
        QVERIFY(field);
        QCOMPARE(field->echoMode(), QLineEdit::Password);
        field->setText(kPassword);
        prompt->accept();
        QLabel *redis = health(controller.window(), u"redis"_s);
        QTRY_VERIFY2_WITH_TIMEOUT(
            redis->text().contains(u"Redis: up"_s), qPrintable(redis->toolTip()), 10000);
        // Asked, not remembered: the secrets file holds nothing for it.
        QVERIFY(models::ProfileStore().load(u"ask"_s)->redisPassword.isEmpty());
    }

    // Test connection checks each part and says what failed, the GUI thread never waiting:
    // Redis as the ACL user, Kafka, a Prometheus endpoint nobody serves, /admin/stats with
    // the profile's admin (refused with a wrong password, then read with the right one).
    void testConnectionSaysWhatFailed()
    {
        cluster::KafkaMockCluster kafka;
        QString error;
        QVERIFY2(kafka.start(1, &error), qPrintable(error));
        Node node;
        QVERIFY2(node.start(&error), qPrintable(error));
        const quint16 closed = testing::RedisServerProcess::freePort();

        models::Profile profile;
        profile.name = u"checks"_s;
        profile.redisUrl = aclUrl(*m_redis);
        profile.redisPassword = kPassword;
        profile.kafkaBootstrap = QString::fromUtf8(kafka.bootstrapServers());
        profile.useRegistry = false;
        profile.prometheusEndpoints = { u"http://127.0.0.1:%1/metrics"_s.arg(closed) };
        profile.adminStatsUrls = { node.url(u"/admin/stats"_s) };
        profile.adminUser = u"admin"_s;
        profile.adminPassword = u"wrong"_s;
        profile.rememberPassword = true;
        QVERIFY2(models::ProfileStore().save(profile, &error), qPrintable(error));

        app::ConsoleController controller(optionsFor(u"checks"_s));
        QVERIFY2(controller.start(&error), qPrintable(error));
        emit controller.window()->profilesRequested();
        ui::ProfilesDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = controller.window()->findChild<ui::ProfilesDialog *>()));
        auto *list = dialog->findChild<QListWidget *>(u"profileList"_s);
        QVERIFY(list);
        list->setCurrentItem(list->findItems(u"checks"_s, Qt::MatchExactly).value(0));
        auto *test = dialog->findChild<QPushButton *>(u"testConnectionButton"_s);
        QVERIFY2(test, "the profile dialog has no Test connection button");
        auto *results = dialog->findChild<QTreeWidget *>(u"connectionTestResults"_s);
        QVERIFY(results);

        auto row = [results](const QString &partStart) -> QTreeWidgetItem * {
            for (int i = 0; i < results->topLevelItemCount(); ++i)
                if (results->topLevelItem(i)->text(0).startsWith(partStart))
                    return results->topLevelItem(i);
            return nullptr;
        };
        auto finished = [results] {
            for (int i = 0; i < results->topLevelItemCount(); ++i)
                if (results->topLevelItem(i)->text(1) == u"checking…"_s)
                    return false;
            return results->topLevelItemCount() > 0;
        };

        QElapsedTimer clock;
        clock.start();
        test->click();
        QVERIFY2(clock.elapsed() < 500, "Test connection held the GUI thread");
        QCOMPARE(results->topLevelItemCount(), 4); // Redis, Kafka, one Prometheus URL, one /admin/stats URL
        QTRY_VERIFY_WITH_TIMEOUT(finished(), 20000);
        QCOMPARE(row(u"Redis"_s)->text(1), u"OK"_s);
        QCOMPARE(row(u"Kafka"_s)->text(1), u"OK"_s);
        QVERIFY2(row(u"Kafka"_s)->text(2).contains(u"1 broker"_s), qPrintable(row(u"Kafka"_s)->text(2)));
        QTreeWidgetItem *prometheus = row(u"Prometheus"_s);
        QVERIFY(prometheus);
        QCOMPARE(prometheus->text(1), u"failed"_s);
        QVERIFY2(prometheus->text(2).contains(u"connection refused"_s), qPrintable(prometheus->text(2)));
        QTreeWidgetItem *stats = row(u"/admin/stats"_s);
        QVERIFY(stats);
        QCOMPARE(stats->text(1), u"failed"_s);
        QVERIFY2(stats->text(2).contains(u"login"_s), qPrintable(stats->text(2)));

        // The form as edited, unsaved: the right admin password, a wrong Redis one, no Kafka broker.
        dialog->findChild<QLineEdit *>(u"profileAdminPassword"_s)->setText(u"admin"_s);
        dialog->findChild<QLineEdit *>(u"profileRedisPassword"_s)->setText(u"not-it"_s);
        dialog->findChild<QLineEdit *>(u"profileKafkaBootstrap"_s)->setText(u"127.0.0.1:%1"_s.arg(closed));
        clock.restart();
        test->click();
        QVERIFY2(clock.elapsed() < 500, "Test connection held the GUI thread");
        QTRY_VERIFY_WITH_TIMEOUT(finished(), 20000);
        QCOMPARE(row(u"/admin/stats"_s)->text(1), u"OK"_s);
        QCOMPARE(row(u"Redis"_s)->text(1), u"failed"_s);
        QVERIFY2(row(u"Redis"_s)->text(2).contains(u"WRONGPASS"_s)
                || row(u"Redis"_s)->text(2).contains(u"password"_s),
            qPrintable(row(u"Redis"_s)->text(2)));
        QCOMPARE(row(u"Kafka"_s)->text(1), u"failed"_s);
        QVERIFY(!row(u"Kafka"_s)->text(2).isEmpty());
        dialog->reject();
    }

    // Redis killed and Kafka's brokers down: every area keeps its last picture, dated, with
    // a banner, and the snapshot says each area is stale and as of when.
    void outageDatesEveryArea()
    {
        testing::RedisServerProcess redis(aclServerArgs());
        QVERIFY2(redis.start(), qPrintable(redis.errorString()));
        cluster::RedisUrl url = cluster::RedisUrl::parse(
            u"redis://%1:%2@127.0.0.1:%3/0"_s.arg(kUser, kPassword).arg(redis.port()));
        cluster::RedisConnection writerConnection(url);
        QSignalSpy connected(&writerConnection, &cluster::RedisConnection::connected);
        writerConnection.open();
        QVERIFY(connected.wait(5000));
        cluster::RedisHashWriter writer(&writerConnection);
        writer.publish(u"node-9"_s,
            { { "address", "127.0.0.1:8099" },
                { "started", QByteArray::number(QDateTime::currentMSecsSinceEpoch() - 60000) },
                { "ready", "1" }, { "draining", "0" }, { "ws", "4" }, { "sse", "1" } },
            600);
        cluster::KafkaMockCluster kafka;
        QString error;
        QVERIFY2(kafka.start(1, &error), qPrintable(error));

        models::Profile profile;
        profile.name = u"outage"_s;
        profile.redisUrl = aclUrl(redis);
        profile.redisPassword = kPassword;
        profile.rememberPassword = true;
        profile.kafkaBootstrap = QString::fromUtf8(kafka.bootstrapServers());
        QVERIFY2(models::ProfileStore().save(profile, &error), qPrintable(error));
        app::ConsoleController controller(optionsFor(u"outage"_s));
        QVERIFY2(controller.start(&error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(
            controller.replicasArea() && controller.replicasArea()->model()->rowCount() == 1, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(
            controller.kafkaArea() && controller.kafkaArea()->figures().reachable, 15000);
        QTRY_VERIFY_WITH_TIMEOUT(health(controller.window(), u"redis"_s)->text().contains(u"up"_s), 10000);

        const QStringList areas { u"replicas"_s, u"kafka"_s, u"redis"_s };
        QJsonObject state = controller.window()->snapshotState();
        for (const QString &area : areas) {
            const QJsonObject section = state.value(area).toObject();
            QVERIFY2(section.contains(u"stale"_s), qPrintable(area));
            QVERIFY2(!section.value(u"stale"_s).toBool(), qPrintable(area));
            QVERIFY2(!section.value(u"asOf"_s).toString().isEmpty(), qPrintable(area));
        }

        const QDateTime outage = QDateTime::currentDateTimeUtc();
        redis.stop(); // SIGKILL by pid
        QVERIFY(kafka.setBrokersDown());
        auto allStale = [&] {
            const QJsonObject now = controller.window()->snapshotState();
            for (const QString &area : areas)
                if (!now.value(area).toObject().value(u"stale"_s).toBool())
                    return false;
            return true;
        };
        QTRY_VERIFY_WITH_TIMEOUT(allStale(), 30000);
        state = controller.window()->snapshotState();
        for (const QString &area : areas) {
            const QJsonObject section = state.value(area).toObject();
            const QDateTime asOf
                = QDateTime::fromString(section.value(u"asOf"_s).toString(), Qt::ISODateWithMs);
            QVERIFY2(asOf.isValid(), qPrintable(area));
            QVERIFY2(asOf <= QDateTime::currentDateTimeUtc(), qPrintable(area));
            QVERIFY2(asOf >= outage.addSecs(-30), qPrintable(area));
            auto *banner = controller.window()->area(area)->findChild<QLabel *>(u"staleBanner"_s);
            QVERIFY2(banner && banner->isVisible(), qPrintable(area));
            const QString shownAt = asOf.toLocalTime().toString(u"HH:mm:ss"_s);
            QVERIFY2(
                banner->text().contains(u"as of "_s + shownAt), qPrintable(area + u": "_s + banner->text()));
        }
        // The replica keeps its last known state: nobody answered to say it changed.
        const models::ReplicaModel *replicas = controller.replicasArea()->model();
        QCOMPARE(replicas->replica(replicas->rowOf(u"node-9"_s)).state, inspect::ReplicaInfo::State::Ready);
        // Kafka's headline keeps the last poll's figures, not the zeros of a failed one.
        QVERIFY2(state.value(u"kafka"_s).toObject().value(u"figures"_s).toObject().value(u"brokers"_s).toInt()
                == 1,
            qPrintable(QString::number(state.value(u"kafka"_s)
                                           .toObject()
                                           .value(u"figures"_s)
                                           .toObject()
                                           .value(u"brokers"_s)
                                           .toInt())));
    }

    void cleanupTestCase()
    {
        m_redis.reset();
        QSettings().clear();
        QFile::remove(models::ProfileStore().secretsPath());
    }

private:
    std::unique_ptr<testing::RedisServerProcess> m_redis;
};

QTEST_MAIN(TestConsoleProfile)
#include "tst_consoleprofile.moc"
