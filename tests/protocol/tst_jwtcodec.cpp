#include "protocol/JwtCodec.h"
#include "support/TestMain.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QTest>

using namespace sb::protocol;
using Reason = JwtVerifyResult::Reason;

Q_DECLARE_METATYPE(sb::protocol::JwtVerifyResult::Reason)

namespace {

const QByteArray Secret = "correct horse battery staple";
constexpr qint64 Now = 1'700'000'000;

QByteArray b64(const QByteArray &data)
{
    return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

// Builds a token by hand, so tests do not depend on JwtCodec::sign() to craft attacks.
QByteArray craft(
    const QByteArray &headerJson, const QByteArray &payloadJson, const QByteArray &secret = Secret)
{
    const QByteArray input = b64(headerJson) + '.' + b64(payloadJson);
    return input + '.' + b64(QMessageAuthenticationCode::hash(input, secret, QCryptographicHash::Sha256));
}

QByteArray claimsJson(qint64 iat = Now - 60, qint64 exp = Now + 900)
{
    return R"({"sub":"alice","roles":["user","admin"],"jti":"j-1","iat":)" + QByteArray::number(iat)
        + R"(,"exp":)" + QByteArray::number(exp) + "}";
}

const QByteArray Hs256 = R"({"alg":"HS256","typ":"JWT"})";

QByteArray part(const QByteArray &token, int index)
{
    return token.split('.').value(index);
}

} // namespace

class TestJwtCodec : public QObject
{
    Q_OBJECT

private slots:
    void roundTrip();
    void signFormat();
    void rejections_data();
    void rejections();
    void expiryBoundaries_data();
    void expiryBoundaries();
    void reasonNames();
    void constantTimeEquals();
    void base64UrlStrict_data();
    void base64UrlStrict();
    void dateTimeOverload();
};

void TestJwtCodec::roundTrip()
{
    const JwtCodec codec(Secret);
    const QJsonObject claims { { QStringLiteral("sub"), QStringLiteral("alice") },
        { QStringLiteral("roles"), QJsonArray { QStringLiteral("user"), QStringLiteral("admin") } },
        { QStringLiteral("jti"), QStringLiteral("8b1f") }, { QStringLiteral("iat"), Now },
        { QStringLiteral("exp"), Now + 900 } };
    const QByteArray token = codec.sign(claims);
    const JwtVerifyResult result = codec.verify(token, Now);
    QVERIFY2(result.isOk(), qPrintable(result.message()));
    QCOMPARE(result.reason(), Reason::Ok);
    QCOMPARE(result.claims(), claims);
    QCOMPARE(result.subject(), QStringLiteral("alice"));
    QCOMPARE(result.roles(), (QStringList { QStringLiteral("user"), QStringLiteral("admin") }));
    QCOMPARE(result.jti(), QStringLiteral("8b1f"));
    QCOMPARE(result.issuedAt(), Now);
    QCOMPARE(result.expiresAt(), Now + 900);
    // A token crafted independently with the same secret verifies too (interoperability).
    QVERIFY(codec.verify(craft(R"({"typ":"JWT","alg":"HS256"})", claimsJson()), Now).isOk());
    QCOMPARE(codec.signature(token.left(token.lastIndexOf('.'))), part(token, 2));
}

void TestJwtCodec::signFormat()
{
    const JwtCodec codec(Secret);
    const QByteArray token = codec.sign(QJsonObject { { QStringLiteral("sub"), QStringLiteral("a?>") } });
    QCOMPARE(token.count('.'), 2);
    QVERIFY(!token.contains('=') && !token.contains('+') && !token.contains('/'));
    QCOMPARE(QByteArray::fromBase64(part(token, 0), QByteArray::Base64UrlEncoding), Hs256);
    QCOMPARE(part(token, 2).size(), 43); // 32 bytes, unpadded
}

void TestJwtCodec::rejections_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<Reason>("reason");

    const QByteArray good = craft(Hs256, claimsJson());
    const QByteArray sig = part(good, 2);
    const QByteArray payload = part(good, 1);

    QTest::newRow("alg none, empty signature")
        << QByteArray(b64(R"({"alg":"none","typ":"JWT"})") + '.' + payload + '.')
        << Reason::UnsupportedAlgorithm;
    QTest::newRow("alg None, valid mac")
        << craft(R"({"alg":"None"})", claimsJson()) << Reason::UnsupportedAlgorithm;
    QTest::newRow("alg HS512") << craft(R"({"alg":"HS512"})", claimsJson()) << Reason::UnsupportedAlgorithm;
    QTest::newRow("alg RS256") << craft(R"({"alg":"RS256"})", claimsJson()) << Reason::UnsupportedAlgorithm;
    QTest::newRow("alg lowercase") << craft(R"({"alg":"hs256"})", claimsJson())
                                   << Reason::UnsupportedAlgorithm;
    QTest::newRow("alg missing") << craft(R"({"typ":"JWT"})", claimsJson()) << Reason::UnsupportedAlgorithm;
    QTest::newRow("alg not a string")
        << craft(R"({"alg":256})", claimsJson()) << Reason::UnsupportedAlgorithm;
    QTest::newRow("alg changed in header")
        << QByteArray(b64(R"({"alg":"HS384","typ":"JWT"})") + '.' + payload + '.' + sig)
        << Reason::UnsupportedAlgorithm;
    QTest::newRow("header changed, alg kept")
        << QByteArray(b64(R"({"alg":"HS256","kid":"x"})") + '.' + payload + '.' + sig)
        << Reason::BadSignature;
    QTest::newRow("tampered payload")
        << QByteArray(part(good, 0) + '.' + b64(claimsJson(Now, Now + 999999)) + '.' + sig)
        << Reason::BadSignature;
    QTest::newRow("wrong secret") << craft(Hs256, claimsJson(), "not the secret") << Reason::BadSignature;
    QTest::newRow("empty signature") << QByteArray(part(good, 0) + '.' + payload + '.')
                                     << Reason::BadSignature;
    QTest::newRow("truncated signature") << QByteArray(good.left(good.size() - 3)) << Reason::BadSignature;
    QByteArray flipped = good;
    flipped[flipped.size() - 5] = flipped.at(flipped.size() - 5) == 'A' ? 'B' : 'A';
    QTest::newRow("flipped signature char") << flipped << Reason::BadSignature;
    QTest::newRow("crit header") << craft(R"({"alg":"HS256","crit":["exp"]})", claimsJson())
                                 << Reason::Malformed;

    QTest::newRow("empty") << QByteArray() << Reason::Malformed;
    QTest::newRow("two parts") << QByteArray(part(good, 0) + '.' + payload) << Reason::Malformed;
    QTest::newRow("four parts") << QByteArray(good + ".x") << Reason::Malformed;
    QTest::newRow("bad base64 char") << QByteArray(part(good, 0) + ".!!!!." + sig) << Reason::Malformed;
    QTest::newRow("standard alphabet") << QByteArray(
        part(good, 0) + '.' + payload + '.' + QByteArray(sig).replace('-', '+').replace('_', '/') + "+/")
                                       << Reason::Malformed;
    QTest::newRow("padding") << QByteArray(good + "=") << Reason::Malformed;
    QTest::newRow("length 1 mod 4") << QByteArray(part(good, 0) + ".AAAAA." + sig) << Reason::Malformed;
    QTest::newRow("non-canonical bits")
        << QByteArray(part(good, 0) + '.' + payload + '.' + sig.left(42) + 'B')
        << (sig.at(42) == 'B' ? Reason::Ok : Reason::Malformed);
    QTest::newRow("header not JSON") << craft("{alg:HS256}", claimsJson()) << Reason::Malformed;
    QTest::newRow("header array") << craft(R"(["HS256"])", claimsJson()) << Reason::Malformed;
    QTest::newRow("payload not JSON") << craft(Hs256, "hello") << Reason::Malformed;
    QTest::newRow("payload JSON array") << craft(Hs256, R"([{"sub":"alice"}])") << Reason::Malformed;
    QTest::newRow("payload JSON string") << craft(Hs256, R"("alice")") << Reason::Malformed;
    QTest::newRow("missing sub") << craft(Hs256, R"({"jti":"j","exp":1800000000})") << Reason::Malformed;
    QTest::newRow("empty sub") << craft(Hs256, R"({"sub":"","jti":"j","exp":1800000000})")
                               << Reason::Malformed;
    QTest::newRow("numeric sub") << craft(Hs256, R"({"sub":7,"jti":"j","exp":1800000000})")
                                 << Reason::Malformed;
    QTest::newRow("missing jti") << craft(Hs256, R"({"sub":"a","exp":1800000000})") << Reason::Malformed;
    QTest::newRow("missing exp") << craft(Hs256, R"({"sub":"a","jti":"j"})") << Reason::Malformed;
    QTest::newRow("string exp") << craft(Hs256, R"({"sub":"a","jti":"j","exp":"1800000000"})")
                                << Reason::Malformed;
    QTest::newRow("huge exp") << craft(Hs256, R"({"sub":"a","jti":"j","exp":1e300})") << Reason::Malformed;
    QTest::newRow("roles not array") << craft(
        Hs256, R"({"sub":"a","jti":"j","exp":1800000000,"roles":"admin"})")
                                     << Reason::Malformed;
    QTest::newRow("role not string") << craft(
        Hs256, R"({"sub":"a","jti":"j","exp":1800000000,"roles":["a",1]})")
                                     << Reason::Malformed;
    QTest::newRow("iat not number") << craft(Hs256, R"({"sub":"a","jti":"j","exp":1800000000,"iat":null})")
                                    << Reason::Malformed;
    QTest::newRow("huge token") << craft(
        Hs256, R"({"sub":"a","jti":"j","exp":1800000000,"pad":")" + QByteArray(7000, 'p') + "\"}")
                                << Reason::Malformed;
    QTest::newRow("nbf in future") << craft(
        Hs256, R"({"sub":"a","jti":"j","exp":1800000000,"nbf":1700000100})")
                                   << Reason::NotYetValid;
    QTest::newRow("iat in future") << craft(Hs256, claimsJson(Now + 31, Now + 900)) << Reason::NotYetValid;
    QTest::newRow("iat within skew") << craft(Hs256, claimsJson(Now + 30, Now + 900)) << Reason::Ok;
    QTest::newRow("expired long ago") << craft(Hs256, claimsJson(Now - 7200, Now - 3600)) << Reason::Expired;
    QTest::newRow("fractional exp ok")
        << craft(Hs256, R"({"sub":"a","jti":"j","exp":1700000000.5})") << Reason::Ok;
}

void TestJwtCodec::rejections()
{
    QFETCH(QByteArray, token);
    QFETCH(Reason, reason);
    const JwtVerifyResult result = JwtCodec(Secret).verify(token, Now);
    QCOMPARE(result.reason(), reason);
    QVERIFY(!result.message().isEmpty());
    if (reason != Reason::Ok)
        QVERIFY(result.claims().isEmpty());
}

void TestJwtCodec::expiryBoundaries_data()
{
    QTest::addColumn<qint64>("skew");
    QTest::addColumn<qint64>("now");
    QTest::addColumn<Reason>("reason");
    const qint64 exp = Now;
    QTest::newRow("before exp") << qint64(30) << exp - 1 << Reason::Ok;
    QTest::newRow("at exp") << qint64(30) << exp << Reason::Ok;
    QTest::newRow("at exp+skew") << qint64(30) << exp + 30 << Reason::Ok;
    QTest::newRow("past exp+skew") << qint64(30) << exp + 31 << Reason::Expired;
    QTest::newRow("no skew at exp") << qint64(0) << exp << Reason::Ok;
    QTest::newRow("no skew past exp") << qint64(0) << exp + 1 << Reason::Expired;
    QTest::newRow("negative skew is zero") << qint64(-100) << exp + 1 << Reason::Expired;
    QTest::newRow("nbf minus skew") << qint64(30) << exp - 600 - 30 << Reason::Ok;
    QTest::newRow("before nbf minus skew") << qint64(30) << exp - 600 - 31 << Reason::NotYetValid;
}

void TestJwtCodec::expiryBoundaries()
{
    QFETCH(qint64, skew);
    QFETCH(qint64, now);
    QFETCH(Reason, reason);
    const QByteArray token = craft(Hs256,
        R"({"sub":"a","jti":"j","exp":)" + QByteArray::number(Now) + R"(,"nbf":)"
            + QByteArray::number(Now - 600) + "}");
    QCOMPARE(JwtCodec(Secret, skew).verify(token, now).reason(), reason);
}

void TestJwtCodec::reasonNames()
{
    QCOMPARE(JwtVerifyResult::reasonName(Reason::Ok), QByteArray("ok"));
    QCOMPARE(JwtVerifyResult::reasonName(Reason::Malformed), QByteArray("malformed"));
    QCOMPARE(JwtVerifyResult::reasonName(Reason::UnsupportedAlgorithm), QByteArray("unsupported_algorithm"));
    QCOMPARE(JwtVerifyResult::reasonName(Reason::BadSignature), QByteArray("bad_signature"));
    QCOMPARE(JwtVerifyResult::reasonName(Reason::Expired), QByteArray("expired"));
    QCOMPARE(JwtVerifyResult::reasonName(Reason::NotYetValid), QByteArray("not_yet_valid"));
    QCOMPARE(JwtCodec(Secret).verify("a.b", Now).reasonName(), QByteArray("malformed"));
}

void TestJwtCodec::constantTimeEquals()
{
    QVERIFY(JwtCodec::constantTimeEquals("", ""));
    QVERIFY(JwtCodec::constantTimeEquals("abc", "abc"));
    QVERIFY(!JwtCodec::constantTimeEquals("abc", "abd"));
    QVERIFY(!JwtCodec::constantTimeEquals("abc", "xbc"));
    QVERIFY(!JwtCodec::constantTimeEquals("abc", "ab"));
    QVERIFY(!JwtCodec::constantTimeEquals(QByteArrayView("a\0c", 3), QByteArrayView("a\0d", 3)));
}

void TestJwtCodec::base64UrlStrict_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QByteArray>("decoded");
    QTest::newRow("empty") << QByteArray() << true << QByteArray();
    QTest::newRow("f") << QByteArray("Zg") << true << QByteArray("f");
    QTest::newRow("fo") << QByteArray("Zm8") << true << QByteArray("fo");
    QTest::newRow("url chars") << QByteArray("-_8") << true << QByteArray("\xfb\xff");
    QTest::newRow("padded") << QByteArray("Zg==") << false << QByteArray();
    QTest::newRow("plus") << QByteArray("+_8") << false << QByteArray();
    QTest::newRow("trailing bits") << QByteArray("Zh") << false << QByteArray();
    QTest::newRow("one char") << QByteArray("Z") << false << QByteArray();
    QTest::newRow("space") << QByteArray("Zm 8") << false << QByteArray();
}

void TestJwtCodec::base64UrlStrict()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, ok);
    QFETCH(QByteArray, decoded);
    QByteArray out;
    QCOMPARE(JwtCodec::base64UrlDecode(text, &out), ok);
    if (ok)
        QCOMPARE(out, decoded);
}

void TestJwtCodec::dateTimeOverload()
{
    const JwtCodec codec(Secret);
    const QByteArray token = craft(Hs256, claimsJson());
    QVERIFY(codec.verify(token, QDateTime::fromSecsSinceEpoch(Now)).isOk());
    QCOMPARE(codec.verify(token, QDateTime::fromSecsSinceEpoch(Now + 3600)).reason(), Reason::Expired);
    QCOMPARE(codec.skewSeconds(), JwtCodec::DefaultSkewSeconds);
}

SB_TEST_APPLESS_MAIN(TestJwtCodec)
#include "tst_jwtcodec.moc"
