#include "models/ProfileStore.h"
#include "support/TestMain.h"

#include <QFile>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace sb::models;

class TestProfileStore : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;

    Profile sample(const QString &name)
    {
        Profile p;
        p.name = name;
        p.redisUrl = QStringLiteral("redis://ops@127.0.0.1:6379/2");
        p.redisPassword = QStringLiteral("s3cret");
        p.kafkaBootstrap = QStringLiteral("127.0.0.1:9092,127.0.0.1:9093");
        p.kafkaProperties = { QStringLiteral("security.protocol=SASL_SSL") };
        p.prometheusEndpoints = { QStringLiteral("http://127.0.0.1:8080/actuator/prometheus") };
        p.readOnly = true;
        return p;
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("switchboard-test"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_profilestore"));
    }
    void init() { QSettings().clear(); }

    void savesAndLoads()
    {
        ProfileStore store(m_dir.filePath(QStringLiteral("secrets.json")));
        QString error;
        QVERIFY2(store.save(sample(QStringLiteral("prod/eu")), &error), qPrintable(error));
        QCOMPARE(store.names(), QStringList { QStringLiteral("prod/eu") });
        const auto loaded = store.load(QStringLiteral("prod/eu"));
        QVERIFY(loaded);
        QCOMPARE(loaded->redisUrl, QStringLiteral("redis://ops@127.0.0.1:6379/2"));
        QCOMPARE(loaded->kafkaProperties, QStringList { QStringLiteral("security.protocol=SASL_SSL") });
        QVERIFY(loaded->readOnly);
        QVERIFY(loaded->redisPassword.isEmpty()); // not remembered unless asked
        QVERIFY(!QFile::exists(store.secretsPath()));
    }

    void keepsAlertThresholdsWithDefaultsForWhatIsAbsent()
    {
        ProfileStore store(m_dir.filePath(QStringLiteral("secrets-alerts.json")));
        Profile p = sample(QStringLiteral("alerts"));
        p.alerts.imbalanceRaise = 2.5;
        p.alerts.drainGraceSeconds = 90;
        QString error;
        QVERIFY2(store.save(p, &error), qPrintable(error));
        QCOMPARE(store.load(QStringLiteral("alerts"))->alerts, p.alerts);
        // A profile saved before thresholds existed (or with only some) takes the defaults.
        QSettings settings;
        settings.setValue(
            QStringLiteral("profiles/alerts/alerts"), QStringLiteral("{\"drainGraceSeconds\": 45}"));
        AlertThresholds expected;
        expected.drainGraceSeconds = 45;
        QCOMPARE(store.load(QStringLiteral("alerts"))->alerts, expected);
        settings.remove(QStringLiteral("profiles/alerts/alerts"));
        QCOMPARE(store.load(QStringLiteral("alerts"))->alerts, AlertThresholds());
    }

    void remembersPasswordOwnerOnly()
    {
        ProfileStore store(m_dir.filePath(QStringLiteral("secrets2.json")));
        Profile p = sample(QStringLiteral("staging"));
        p.rememberPassword = true;
        QString error;
        QVERIFY2(store.save(p, &error), qPrintable(error));
        QCOMPARE(store.load(QStringLiteral("staging"))->redisPassword, QStringLiteral("s3cret"));
        const auto permissions = QFile::permissions(store.secretsPath());
        QCOMPARE(permissions
                & (QFileDevice::ReadGroup | QFileDevice::ReadOther | QFileDevice::WriteGroup
                    | QFileDevice::WriteOther),
            QFileDevice::Permissions());
        QSettings settings;
        for (const QString &key : settings.allKeys())
            QVERIFY2(!settings.value(key).toString().contains(QStringLiteral("s3cret")), qPrintable(key));
        p.rememberPassword = false;
        QVERIFY(store.save(p, &error));
        QVERIFY(store.load(QStringLiteral("staging"))->redisPassword.isEmpty());
        store.remove(QStringLiteral("staging"));
        QVERIFY(!store.load(QStringLiteral("staging")));
    }

    // A password typed into the Redis URL is a secret like the one in the password field:
    // it moves to the owner-only secrets file (remembered) and never reaches the settings.
    void passwordInTheUrlIsKeptAsASecret()
    {
        ProfileStore store(m_dir.filePath(QStringLiteral("secrets5.json")));
        Profile p = sample(QStringLiteral("inline"));
        p.redisUrl = QStringLiteral("redis://ops:in-url-pw@127.0.0.1:6391/0");
        p.redisPassword.clear();
        p.rememberPassword = true;
        QString error;
        QVERIFY2(store.save(p, &error), qPrintable(error));
        QSettings settings;
        for (const QString &key : settings.allKeys())
            QVERIFY2(!settings.value(key).toString().contains(QStringLiteral("in-url-pw")), qPrintable(key));
        const auto loaded = store.load(QStringLiteral("inline"));
        QVERIFY(loaded);
        QCOMPARE(loaded->redisUrl, QStringLiteral("redis://ops@127.0.0.1:6391/0"));
        QCOMPARE(loaded->redisPassword, QStringLiteral("in-url-pw"));
    }

    // redis://ops@host with the password in its field makes a URL an ACL user logs in with.
    void redisUrlTakesThePasswordField()
    {
        Profile p = sample(QStringLiteral("acl"));
        p.redisUrl = QStringLiteral("redis://ops@127.0.0.1:6391/0");
        p.redisPassword = QStringLiteral("s3cret");
        const auto url = p.redisConnectionUrl();
        QVERIFY2(url.isValid(), qPrintable(url.errorString()));
        QCOMPARE(url.userName(), QStringLiteral("ops"));
        QCOMPARE(url.password(), QStringLiteral("s3cret"));
        QCOMPARE(url.port(), quint16(6391));
        p.redisPassword.clear();
        QVERIFY(!p.redisConnectionUrl().isValid());
        QCOMPARE(p.missingPasswords(), QStringList { QStringLiteral("redis") });
        p.redisUrl = QStringLiteral("redis://127.0.0.1:6391/0"); // no user: a password may not be needed
        QVERIFY(p.redisConnectionUrl().isValid());
        QVERIFY(p.missingPasswords().isEmpty());
        p.adminUser = QStringLiteral("admin");
        QCOMPARE(p.missingPasswords(), QStringList { QStringLiteral("admin") });
    }

    void kafkaSecretsFollowTheRememberBox()
    {
        ProfileStore store(m_dir.filePath(QStringLiteral("secrets4.json")));
        Profile p = sample(QStringLiteral("sasl"));
        p.kafkaProperties = QStringList { QStringLiteral("security.protocol=SASL_SSL"),
            QStringLiteral("sasl.username=ops"), QStringLiteral("sasl.password=k4fka") };
        QString error;
        QVERIFY2(store.save(p, &error), qPrintable(error));
        // Not remembered: not stored anywhere.
        QCOMPARE(store.load(QStringLiteral("sasl"))->kafkaProperties,
            (QStringList {
                QStringLiteral("security.protocol=SASL_SSL"), QStringLiteral("sasl.username=ops") }));
        QVERIFY(!QFile::exists(store.secretsPath()));
        p.rememberPassword = true;
        QVERIFY2(store.save(p, &error), qPrintable(error));
        QCOMPARE(store.load(QStringLiteral("sasl"))->kafkaProperties, p.kafkaProperties);
        QSettings settings;
        for (const QString &key : settings.allKeys())
            QVERIFY2(!settings.value(key).toStringList().join(u' ').contains(QStringLiteral("k4fka")),
                qPrintable(key));
        QFile secrets(store.secretsPath());
        QVERIFY(secrets.open(QIODevice::ReadOnly));
        QVERIFY(secrets.readAll().contains("k4fka"));
        store.remove(QStringLiteral("sasl"));
        secrets.close();
        QVERIFY(secrets.open(QIODevice::ReadOnly));
        QVERIFY(!secrets.readAll().contains("k4fka"));
    }

    void rejectsBadInput_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("empty name") << QStringLiteral("name") << QString() << QStringLiteral("name");
        QTest::newRow("bad redis scheme")
            << QStringLiteral("redis") << QStringLiteral("http://x:1") << QStringLiteral("Redis URL");
        QTest::newRow("bad bootstrap")
            << QStringLiteral("kafka") << QStringLiteral("broker") << QStringLiteral("bootstrap");
        QTest::newRow("bad port") << QStringLiteral("kafka") << QStringLiteral("broker:99999")
                                  << QStringLiteral("bootstrap");
        QTest::newRow("bad property")
            << QStringLiteral("property") << QStringLiteral("acks") << QStringLiteral("key=value");
        QTest::newRow("bad endpoint")
            << QStringLiteral("prometheus") << QStringLiteral("ftp://x/") << QStringLiteral("http");
    }
    void rejectsBadInput()
    {
        QFETCH(QString, field);
        QFETCH(QString, value);
        QFETCH(QString, mentions);
        Profile p = sample(QStringLiteral("x"));
        if (field == u"name")
            p.name = value;
        if (field == u"redis")
            p.redisUrl = value;
        if (field == u"kafka")
            p.kafkaBootstrap = value;
        if (field == u"property")
            p.kafkaProperties = { value };
        if (field == u"prometheus")
            p.prometheusEndpoints = { value };
        ProfileStore store(m_dir.filePath(QStringLiteral("secrets3.json")));
        QString error;
        QVERIFY(!store.save(p, &error));
        QVERIFY2(error.contains(mentions), qPrintable(error));
        QVERIFY(store.names().isEmpty());
    }

    // The Faults panel's devcluster: kept with the profile, loopback http only (whoever
    // reaches the control endpoint can kill the cluster's processes).
    void faultControlUrlRoundTrips()
    {
        ProfileStore store(m_dir.filePath(QStringLiteral("secrets-control.json")));
        Profile p = sample(QStringLiteral("devcluster"));
        p.faultControlUrl = QStringLiteral("http://127.0.0.1:40123");
        QString error;
        QVERIFY2(store.save(p, &error), qPrintable(error));
        QCOMPARE(store.load(QStringLiteral("devcluster"))->faultControlUrl, p.faultControlUrl);
        p.faultControlUrl.clear(); // cleared on save: none any more
        QVERIFY2(store.save(p, &error), qPrintable(error));
        QVERIFY(store.load(QStringLiteral("devcluster"))->faultControlUrl.isEmpty());
    }

    void faultControlUrlIsLoopbackHttpOnly_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("none") << QString() << true;
        QTest::newRow("devcluster's") << QStringLiteral("http://127.0.0.1:40123") << true;
        QTest::newRow("trailing slash") << QStringLiteral("http://127.0.0.1:40123/") << true;
        QTest::newRow("127/8") << QStringLiteral("http://127.0.0.2:8080") << true;
        QTest::newRow("ipv6 loopback") << QStringLiteral("http://[::1]:8080") << true;
        QTest::newRow("lan address") << QStringLiteral("http://10.0.0.5:40123") << false;
        QTest::newRow("any address") << QStringLiteral("http://0.0.0.0:40123") << false;
        QTest::newRow("a name") << QStringLiteral("http://localhost:40123") << false;
        QTest::newRow("remote name") << QStringLiteral("http://devbox.example:40123") << false;
        QTest::newRow("lookalike") << QStringLiteral("http://127.0.0.1.example:40123") << false;
        QTest::newRow("https") << QStringLiteral("https://127.0.0.1:40123") << false;
        QTest::newRow("no port") << QStringLiteral("http://127.0.0.1") << false;
        QTest::newRow("a path") << QStringLiteral("http://127.0.0.1:40123/faults") << false;
        QTest::newRow("user info") << QStringLiteral("http://me@127.0.0.1:40123") << false;
        QTest::newRow("not a URL") << QStringLiteral("127.0.0.1:40123") << false;
    }
    void faultControlUrlIsLoopbackHttpOnly()
    {
        QFETCH(QString, url);
        QFETCH(bool, accepted);
        Profile p = sample(QStringLiteral("control"));
        p.faultControlUrl = url;
        const QString error = p.validationError();
        QVERIFY2(error.isEmpty() == accepted, qPrintable(error));
        QCOMPARE(Profile::faultControlUrlError(url), error);
        if (!accepted) {
            QVERIFY2(error.contains(QStringLiteral("loopback")) && error.contains(url), qPrintable(error));
            ProfileStore store(m_dir.filePath(QStringLiteral("secrets4.json")));
            QString saveError;
            QVERIFY(!store.save(p, &saveError));
            QCOMPARE(saveError, error);
        }
    }
};

SB_TEST_GUILESS_MAIN(TestProfileStore)
#include "tst_profilestore.moc"
