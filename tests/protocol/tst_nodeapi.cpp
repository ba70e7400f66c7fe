#include "protocol/NodeApi.h"
#include "protocol/StompDecoder.h"
#include "support/TestMain.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace sb::protocol;
using namespace Qt::StringLiterals;

class TestNodeApi : public QObject
{
    Q_OBJECT

private:
    static StompFrame decodeOne(const QByteArray &wire)
    {
        StompDecoder decoder;
        decoder.feed(wire);
        if (decoder.next() != StompDecoder::Status::Frame)
            return {};
        return decoder.takeFrame();
    }

private slots:
    void loginBodyIsTheJsonTheNodeReads()
    {
        const QJsonObject body
            = QJsonDocument::fromJson(nodeapi::loginBody(u"al\"ice"_s, u"p\u00e4ss"_s)).object();
        QCOMPARE(body.value(u"username"_s).toString(), u"al\"ice"_s);
        QCOMPARE(body.value(u"password"_s).toString(), u"p\u00e4ss"_s);
        QCOMPARE(body.size(), 2);
    }

    void accessToken_data()
    {
        QTest::addColumn<QByteArray>("answer");
        QTest::addColumn<QByteArray>("token");
        QTest::newRow("login answer")
            << "{\"accessToken\":\"a.b.c\",\"refreshToken\":\"r\",\"expiresIn\":900}"_ba
            << "a.b.c"_ba;
        QTest::newRow("error answer") << "{\"error\":\"bad credentials\"}"_ba << QByteArray();
        QTest::newRow("not JSON") << "<html>502</html>"_ba << QByteArray();
        QTest::newRow("truncated") << "{\"accessToken\":\"a.b"_ba << QByteArray();
        QTest::newRow("array") << "[\"accessToken\"]"_ba << QByteArray();
        QTest::newRow("token not a string") << "{\"accessToken\":42}"_ba << QByteArray();
        QTest::newRow("empty") << QByteArray() << QByteArray();
    }

    void accessToken()
    {
        QFETCH(QByteArray, answer);
        QFETCH(QByteArray, token);
        QCOMPARE(nodeapi::accessToken(answer), token);
    }

    void stompConnectCarriesTheBearerToken()
    {
        const StompFrame frame = decodeOne(nodeapi::stompConnect("a.b.c"));
        QCOMPARE(frame.command(), "CONNECT"_ba);
        QCOMPARE(frame.header("accept-version"), "1.2"_ba);
        QCOMPARE(frame.header("host"), "localhost"_ba);
        QCOMPARE(frame.header("heart-beat"), "0,0"_ba);
        QCOMPARE(frame.header("Authorization"), "Bearer a.b.c"_ba);
    }

    void stompConnectCannotBeInjectedThroughTheToken()
    {
        // CONNECT headers are not escaped, so a line break in a token must not become a header.
        const StompFrame frame = decodeOne(nodeapi::stompConnect("x\nlogin:mallory\r\n"));
        QCOMPARE(frame.command(), "CONNECT"_ba);
        QVERIFY(!frame.hasHeader("login"));
    }

    void stompSubscribe()
    {
        const StompFrame frame = decodeOne(nodeapi::stompSubscribe("sub-0", "/topic/channels.gen:eral"));
        QCOMPARE(frame.command(), "SUBSCRIBE"_ba);
        QCOMPARE(frame.header("id"), "sub-0"_ba);
        QCOMPARE(frame.header("destination"), "/topic/channels.gen:eral"_ba);
    }
};

SB_TEST_GUILESS_MAIN(TestNodeApi)
#include "tst_nodeapi.moc"
