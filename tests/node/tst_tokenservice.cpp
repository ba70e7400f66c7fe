// TokenService against a registry that answers what the test says (issue 12, item 1): an
// unreachable registry is "unavailable, retry", never "revoked"; the fail-open window admits
// only young access tokens, never an admin's, and counts each one it admits.

#include "cluster/TokenRegistry.h"
#include "node/NodeMetrics.h"
#include "node/TokenService.h"
#include "protocol/JwtCodec.h"
#include "support/TestMain.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

#include <optional>

using namespace sb::node;
using Status = sb::cluster::TokenRegistry::Status;

namespace {

const QByteArray kSecret = QByteArrayLiteral("0123456789abcdef0123456789abcdef-test");

// Answers every lookup with `status`, on the caller's context, as the real adapters do.
class ScriptedTokenRegistry : public sb::cluster::TokenRegistry
{
public:
    Status status = Status::Active;
    void remember(const QString &, const QString &, qint64) override { }
    void revoke(const QString &) override { }
    void revokeUser(const QString &) override { }
    void lookup(const QString &, QObject *context, std::function<void(Status)> done) override
    {
        QMetaObject::invokeMethod(
            context, [status = status, done] { done(status); }, Qt::QueuedConnection);
    }
};

QByteArray token(const char *type, qint64 issuedAt, bool admin)
{
    const QJsonArray roles = admin ? QJsonArray { QStringLiteral("ROLE_ADMIN"), QStringLiteral("ROLE_USER") }
                                   : QJsonArray { QStringLiteral("ROLE_USER") };
    return sb::protocol::JwtCodec(kSecret).sign(
        { { QStringLiteral("sub"), QStringLiteral("alice") }, { QStringLiteral("roles"), roles },
            { QStringLiteral("jti"), QStringLiteral("jti-1") }, { QStringLiteral("iat"), issuedAt },
            { QStringLiteral("exp"), QDateTime::currentSecsSinceEpoch() + 900 },
            { QStringLiteral("typ"), QString::fromLatin1(type) } });
}

} // namespace

class TestTokenService : public QObject
{
    Q_OBJECT
private slots:
    void verdicts_data();
    void verdicts();

private:
    std::optional<TokenService::Outcome> authenticate(
        TokenService &service, const QByteArray &jwt, TokenService::Kind kind);
};

std::optional<TokenService::Outcome> TestTokenService::authenticate(
    TokenService &service, const QByteArray &jwt, TokenService::Kind kind)
{
    std::optional<TokenService::Outcome> outcome;
    service.authenticate(jwt, kind, this, [&outcome](const TokenService::Outcome &o) { outcome = o; });
    if (!QTest::qWaitFor([&outcome] { return outcome.has_value(); }, 5000))
        return std::nullopt;
    return outcome;
}

void TestTokenService::verdicts_data()
{
    QTest::addColumn<int>("registry"); // Status
    QTest::addColumn<int>("failOpenSeconds");
    QTest::addColumn<bool>("refresh"); // a refresh token instead of an access token
    QTest::addColumn<int>("ageSeconds"); // now - iat
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QByteArray>("reason"); // auth failure counted, empty when ok
    QTest::addColumn<bool>("unavailable");
    QTest::addColumn<int>("failedOpen"); // sb_auth_fail_open_total afterwards
    QTest::addColumn<bool>("admin"); // the token carries ROLE_ADMIN

    const int active = int(Status::Active), inactive = int(Status::Inactive), down = int(Status::Unavailable);
    QTest::newRow("active") << active << 0 << false << 5 << true << QByteArray() << false << 0 << false;
    QTest::newRow("revoked") << inactive << 0 << false << 5 << false << QByteArray("revoked") << false << 0
                             << false;
    QTest::newRow("registry down, fail closed")
        << down << 0 << false << 5 << false << QByteArray("registry_unavailable") << true << 0 << false;
    QTest::newRow("registry down, young access token admitted")
        << down << 60 << false << 5 << true << QByteArray() << false << 1 << false;
    QTest::newRow("registry down, old access token refused")
        << down << 60 << false << 120 << false << QByteArray("registry_unavailable") << true << 0 << false;
    QTest::newRow("registry down, refresh token never admitted")
        << down << 60 << true << 5 << false << QByteArray("registry_unavailable") << true << 0 << false;
    QTest::newRow("revoked stays revoked with a window")
        << inactive << 60 << false << 5 << false << QByteArray("revoked") << false << 0 << false;
    QTest::newRow("registry down, young admin token never admitted")
        << down << 60 << false << 5 << false << QByteArray("registry_unavailable") << true << 0 << true;
    QTest::newRow("admin token accepted while the registry answers")
        << active << 60 << false << 5 << true << QByteArray() << false << 0 << true;
}

void TestTokenService::verdicts()
{
    QFETCH(int, registry);
    QFETCH(int, failOpenSeconds);
    QFETCH(bool, refresh);
    QFETCH(int, ageSeconds);
    QFETCH(bool, ok);
    QFETCH(QByteArray, reason);
    QFETCH(bool, unavailable);
    QFETCH(int, failedOpen);
    QFETCH(bool, admin);

    ScriptedTokenRegistry tokens;
    tokens.status = Status(registry);
    NodeMetrics metrics;
    TokenService service(kSecret, 900, 3600, &tokens, &metrics);
    service.setFailOpenSeconds(failOpenSeconds);
    const qint64 issuedAt = QDateTime::currentSecsSinceEpoch() - ageSeconds;
    const auto outcome = authenticate(service, token(refresh ? "refresh" : "access", issuedAt, admin),
        refresh ? TokenService::Kind::Refresh : TokenService::Kind::Access);
    QVERIFY(outcome.has_value());
    QCOMPARE(outcome->ok, ok);
    QCOMPARE(outcome->registryUnavailable, unavailable);
    QCOMPARE(outcome->reason, reason);
    if (unavailable)
        QCOMPARE(outcome->message, QStringLiteral("token registry unavailable, retry"));
    if (ok)
        QCOMPARE(outcome->user.name, QStringLiteral("alice"));
    if (!reason.isEmpty())
        QCOMPARE(metrics.authFailureCount(reason), qint64(1));
    QCOMPARE(metrics.authFailureCount("revoked"), qint64(reason == "revoked" ? 1 : 0));
    QCOMPARE(metrics.authFailOpenCount(), qint64(failedOpen));
}

SB_TEST_GUILESS_MAIN(TestTokenService)
#include "tst_tokenservice.moc"
