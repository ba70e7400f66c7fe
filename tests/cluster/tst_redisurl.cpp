#include "cluster/RedisUrl.h"
#include "support/TestMain.h"

#include <QTest>

using sb::cluster::RedisUrl;

class TestRedisUrl : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<int>("db");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("password");

        QTest::newRow("host only") << "redis://cache"
                                   << "cache" << 6379 << 0 << ""
                                   << "";
        QTest::newRow("host port") << "redis://10.0.0.5:6380"
                                   << "10.0.0.5" << 6380 << 0 << ""
                                   << "";
        QTest::newRow("db") << "redis://h:1/15"
                            << "h" << 1 << 15 << ""
                            << "";
        QTest::newRow("trailing slash") << "redis://h/"
                                        << "h" << 6379 << 0 << ""
                                        << "";
        QTest::newRow("password only") << "redis://:s3cret@h"
                                       << "h" << 6379 << 0 << ""
                                       << "s3cret";
        QTest::newRow("acl user") << "redis://alice:wonder@h:7000/2"
                                  << "h" << 7000 << 2 << "alice"
                                  << "wonder";
        QTest::newRow("percent-encoded") << "redis://:p%40ss%3Aw@h"
                                         << "h" << 6379 << 0 << ""
                                         << "p@ss:w";
        QTest::newRow("ipv6") << "redis://[::1]:6379/1"
                              << "::1" << 6379 << 1 << ""
                              << "";
        QTest::newRow("upper-case scheme") << "REDIS://h"
                                           << "h" << 6379 << 0 << ""
                                           << "";
        QTest::newRow("surrounding blanks") << "  redis://h:2  "
                                            << "h" << 2 << 0 << ""
                                            << "";
    }

    void parse()
    {
        QFETCH(QString, text);
        const RedisUrl url = RedisUrl::parse(text);
        QVERIFY2(url.isValid(), qPrintable(url.errorString()));
        QTEST(url.host(), "host");
        QTEST(int(url.port()), "port");
        QTEST(url.database(), "db");
        QTEST(url.userName(), "user");
        QTEST(url.password(), "password");
        // toString() round-trips.
        QCOMPARE(RedisUrl::parse(url.toString()), url);
    }

    void malformed_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected"); // a phrase the message must contain

        QTest::newRow("empty") << ""
                               << "empty";
        QTest::newRow("tls") << "rediss://h:6380"
                             << "TLS";
        QTest::newRow("no scheme") << "localhost:6379"
                                   << "unsupported";
        QTest::newRow("bare host") << "cache"
                                   << "no scheme";
        QTest::newRow("http") << "http://h"
                              << "scheme \"http\"";
        QTest::newRow("no host") << "redis://:6379"
                                 << "host";
        QTest::newRow("port text") << "redis://h:abc"
                                   << "port";
        QTest::newRow("port too big") << "redis://h:70000"
                                      << "port";
        QTest::newRow("port zero") << "redis://h:0"
                                   << "port";
        QTest::newRow("db text") << "redis://h/zero"
                                 << "database";
        QTest::newRow("db negative") << "redis://h/-1"
                                     << "database";
        QTest::newRow("db path") << "redis://h/0/extra"
                                 << "database";
        QTest::newRow("query") << "redis://h?db=1"
                               << "query";
        QTest::newRow("user without password") << "redis://secret@h"
                                               << "no password";
    }

    void malformed()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        const RedisUrl url = RedisUrl::parse(text);
        QVERIFY(!url.isValid());
        QVERIFY2(url.errorString().contains(expected), qPrintable(url.errorString()));
        QCOMPARE(url.redacted(), QStringLiteral("<invalid Redis URL>"));
    }

    void errorsNeverEchoThePassword()
    {
        for (const QString &text :
            { QStringLiteral("redis://u:hunter2@h:99999"), QStringLiteral("redis://u:hunter2@h/x"),
                QStringLiteral("rediss://u:hunter2@h"), QStringLiteral("redis://u:hunter2@h?x") }) {
            const RedisUrl url = RedisUrl::parse(text);
            QVERIFY(!url.isValid());
            QVERIFY2(!url.errorString().contains(u"hunter2"), qPrintable(url.errorString()));
        }
    }

    void redacted()
    {
        QCOMPARE(RedisUrl::parse(QStringLiteral("redis://alice:hunter2@h:1/3")).redacted(),
            QStringLiteral("redis://alice:***@h:1/3"));
        QCOMPARE(RedisUrl::parse(QStringLiteral("redis://:hunter2@h")).redacted(),
            QStringLiteral("redis://:***@h:6379/0"));
        QCOMPARE(RedisUrl::parse(QStringLiteral("redis://h")).redacted(), QStringLiteral("redis://h:6379/0"));
        QCOMPARE(RedisUrl::parse(QStringLiteral("redis://[::1]:5")).redacted(),
            QStringLiteral("redis://[::1]:5/0"));
    }

    void programmatic()
    {
        RedisUrl url(QStringLiteral("127.0.0.1"), 1234);
        QVERIFY(url.isValid());
        url.setPassword(QStringLiteral("pw"));
        url.setDatabase(4);
        QCOMPARE(url.redacted(), QStringLiteral("redis://:***@127.0.0.1:1234/4"));
        QVERIFY(!RedisUrl().isValid());
    }
};

SB_TEST_GUILESS_MAIN(TestRedisUrl)
#include "tst_redisurl.moc"
