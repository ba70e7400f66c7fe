// Unit tests of who may use the node: password hashes, the login rate limiter, the
// in-memory token registry's revocation and the per-address connection count.

#include "cluster/InMemoryTokenRegistry.h"
#include "node/AddressConnectionLimit.h"
#include "node/PasswordHasher.h"
#include "node/RateLimiter.h"
#include "support/TestMain.h"

#include <QDateTime>
#include <QTest>

using namespace sb::node;

class TestNodeAccess : public QObject
{
    Q_OBJECT
private slots:
    void passwordHashRoundTrip();
    void passwordHashRejectsMalformed_data();
    void passwordHashRejectsMalformed();
    void rateLimiterSlidingWindow();
    void rateLimiterBoundsKeys();
    void inMemoryTokensRevokeByUser();
    void addressLimitCountsPerAddress();
};

void TestNodeAccess::passwordHashRoundTrip()
{
    const QString encoded = PasswordHasher::hash(QStringLiteral("s3cret ü"), 1000);
    QVERIFY(encoded.startsWith(QStringLiteral("pbkdf2-sha256$1000$")));
    QVERIFY(PasswordHasher::isWellFormed(encoded));
    QVERIFY(PasswordHasher::verify(QStringLiteral("s3cret ü"), encoded));
    QVERIFY(!PasswordHasher::verify(QStringLiteral("s3cret u"), encoded));
    QVERIFY(!PasswordHasher::verify(QString(), encoded));
    // A fresh salt each time.
    QVERIFY(
        PasswordHasher::hash(QStringLiteral("x"), 1000) != PasswordHasher::hash(QStringLiteral("x"), 1000));
}

void TestNodeAccess::passwordHashRejectsMalformed_data()
{
    QTest::addColumn<QString>("encoded");
    QTest::newRow("empty") << QString();
    QTest::newRow("wrong scheme") << QStringLiteral("bcrypt$10$abc$def");
    QTest::newRow("missing key") << QStringLiteral("pbkdf2-sha256$1000$c2FsdA==");
    QTest::newRow("bad iterations") << QStringLiteral("pbkdf2-sha256$-5$c2FsdA==$a2V5");
    QTest::newRow("not base64") << QStringLiteral("pbkdf2-sha256$1000$***$###");
    QTest::newRow("absurd iterations") << QStringLiteral("pbkdf2-sha256$999999999999$c2FsdA==$a2V5");
}

void TestNodeAccess::passwordHashRejectsMalformed()
{
    QFETCH(QString, encoded);
    QVERIFY(!PasswordHasher::isWellFormed(encoded));
    QVERIFY(!PasswordHasher::verify(QStringLiteral("anything"), encoded));
}

void TestNodeAccess::rateLimiterSlidingWindow()
{
    RateLimiter limiter(3);
    const qint64 t0 = 1'000'000;
    QVERIFY(limiter.allow(QStringLiteral("alice"), t0));
    QVERIFY(limiter.allow(QStringLiteral("alice"), t0 + 10));
    QVERIFY(limiter.allow(QStringLiteral("alice"), t0 + 20));
    QVERIFY(!limiter.allow(QStringLiteral("alice"), t0 + 30));
    QVERIFY(limiter.allow(QStringLiteral("bob"), t0 + 30)); // keys are independent
    QCOMPARE(limiter.retryAfterSeconds(QStringLiteral("alice"), t0 + 30), 60);
    QCOMPARE(limiter.retryAfterSeconds(QStringLiteral("nobody"), t0), 0);
    // The first attempt leaves the one-minute window: one more is allowed, not more.
    QVERIFY(limiter.allow(QStringLiteral("alice"), t0 + 60'000));
    QVERIFY(!limiter.allow(QStringLiteral("alice"), t0 + 60'001));
}

void TestNodeAccess::rateLimiterBoundsKeys()
{
    RateLimiter limiter(5, 10);
    for (int i = 0; i < 10; ++i)
        QVERIFY(limiter.allow(QString::number(i), 0));
    // Full of keys still in their window: a new key is refused rather than stored.
    QVERIFY(!limiter.allow(QStringLiteral("new"), 1000));
    QVERIFY(limiter.allow(QStringLiteral("3"), 1000)); // known keys still work
    // Once the window has passed, old keys are purged and new ones fit again.
    QVERIFY(limiter.allow(QStringLiteral("new"), 120'000));
}

void TestNodeAccess::inMemoryTokensRevokeByUser()
{
    sb::cluster::InMemoryTokenRegistry tokens;
    const qint64 exp = QDateTime::currentSecsSinceEpoch() + 60;
    tokens.remember(QStringLiteral("b-1"), QStringLiteral("bob"), exp);
    tokens.remember(QStringLiteral("b-2"), QStringLiteral("bob"), exp);
    tokens.remember(QStringLiteral("c-1"), QStringLiteral("carol"), exp);
    tokens.revokeUser(QStringLiteral("bob"));
    QVERIFY(!tokens.isActiveNow(QStringLiteral("b-1")));
    QVERIFY(!tokens.isActiveNow(QStringLiteral("b-2")));
    QVERIFY(tokens.isActiveNow(QStringLiteral("c-1")));
    tokens.remember(QStringLiteral("b-3"), QStringLiteral("bob"), exp); // a new login works again
    QVERIFY(tokens.isActiveNow(QStringLiteral("b-3")));
}

void TestNodeAccess::addressLimitCountsPerAddress()
{
    AddressConnectionLimit limit;
    const QHostAddress a(QStringLiteral("192.0.2.1"));
    const QHostAddress mapped(QStringLiteral("::ffff:192.0.2.1")); // the same client through an IPv6 socket
    const QHostAddress other(QStringLiteral("2001:db8::1"));
    QVERIFY(limit.tryAcquire(a, 2, false));
    QVERIFY(limit.tryAcquire(mapped, 2, false));
    QVERIFY(!limit.tryAcquire(a, 2, false));
    QVERIFY(!limit.tryAcquire(mapped, 2, true)); // the exemption is for loopback only
    QCOMPARE(limit.openFrom(a), 2);
    QVERIFY(limit.tryAcquire(other, 2, false)); // another address is not affected
    limit.release(mapped);
    QCOMPARE(limit.openFrom(a), 1);
    QVERIFY(limit.tryAcquire(a, 2, false));
    limit.release(a);
    limit.release(a);
    limit.release(a); // one too many: never below zero, never a stale entry
    QCOMPARE(limit.openFrom(a), 0);
    QVERIFY(limit.tryAcquire(a, 1, false));

    // Loopback counts like any address unless exempted, and an exempt one is never counted.
    const QHostAddress loopback(QHostAddress::LocalHost);
    QVERIFY(limit.tryAcquire(loopback, 1, false));
    QVERIFY(!limit.tryAcquire(QHostAddress(QStringLiteral("::ffff:127.0.0.1")), 1, false));
    limit.release(loopback);
    for (int i = 0; i < 5; ++i)
        QVERIFY(limit.tryAcquire(i % 2 ? loopback : QHostAddress(QHostAddress::LocalHostIPv6), 1, true));
    QCOMPARE(limit.openFrom(loopback), 0);
}

SB_TEST_GUILESS_MAIN(TestNodeAccess)
#include "tst_nodeaccess.moc"
