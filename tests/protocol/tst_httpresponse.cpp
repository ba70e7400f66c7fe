#include "protocol/HttpRequestParser.h"
#include "protocol/HttpResponse.h"
#include "support/TestMain.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace sb::protocol;

class TestHttpResponse : public QObject
{
    Q_OBJECT

private slots:
    void reasonPhrases_data();
    void reasonPhrases();
    void serializeWithBody();
    void framingHeadersAreOwnedBySerialize();
    void noBodyStatuses_data();
    void noBodyStatuses();
    void jsonError();
    void streamingHead();
    void headerInjectionRefused_data();
    void headerInjectionRefused();
    void webSocketAccept();
    void closeConnection();
};

void TestHttpResponse::reasonPhrases_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("phrase");
    QTest::newRow("200") << 200 << QByteArray("OK");
    QTest::newRow("101") << 101 << QByteArray("Switching Protocols");
    QTest::newRow("413") << 413 << QByteArray("Content Too Large");
    QTest::newRow("414") << 414 << QByteArray("URI Too Long");
    QTest::newRow("431") << 431 << QByteArray("Request Header Fields Too Large");
    QTest::newRow("501") << 501 << QByteArray("Not Implemented");
    QTest::newRow("505") << 505 << QByteArray("HTTP Version Not Supported");
    QTest::newRow("503") << 503 << QByteArray("Service Unavailable");
    QTest::newRow("unknown") << 299 << QByteArray("Unknown");
}

void TestHttpResponse::reasonPhrases()
{
    QFETCH(int, status);
    QFETCH(QByteArray, phrase);
    QCOMPARE(HttpResponse::reasonPhrase(status), phrase);
    QVERIFY(HttpResponse(status).serialize().startsWith(
        QByteArray("HTTP/1.1 " + QByteArray::number(status) + ' ' + phrase + "\r\n")));
}

void TestHttpResponse::serializeWithBody()
{
    HttpResponse response(200);
    QVERIFY(response.addHeader("Cache-Control", "no-store"));
    response.setBody("hello", "text/plain; charset=utf-8");
    QCOMPARE(response.serialize(),
        QByteArray("HTTP/1.1 200 OK\r\nCache-Control: no-store\r\n"
                   "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 5\r\n\r\nhello"));
}

void TestHttpResponse::framingHeadersAreOwnedBySerialize()
{
    HttpResponse response(200);
    response.setHeader("Content-Length", "999");
    response.setHeader("Transfer-Encoding", "chunked");
    response.setBody("abc");
    const QByteArray wire = response.serialize();
    QVERIFY(!wire.contains("999"));
    QVERIFY(!wire.contains("chunked"));
    QVERIFY(wire.endsWith("Content-Length: 3\r\n\r\nabc"));
}

void TestHttpResponse::noBodyStatuses_data()
{
    QTest::addColumn<int>("status");
    QTest::newRow("101") << 101;
    QTest::newRow("204") << 204;
    QTest::newRow("304") << 304;
}

void TestHttpResponse::noBodyStatuses()
{
    QFETCH(int, status);
    HttpResponse response(status);
    response.setBody("ignored");
    const QByteArray wire = response.serialize();
    QVERIFY(wire.endsWith("\r\n\r\n"));
    QVERIFY(!wire.contains("Content-Length"));
    QVERIFY(!wire.contains("ignored"));
}

void TestHttpResponse::jsonError()
{
    const HttpResponse response = HttpResponse::jsonError(431, QStringLiteral("header section \"too\" big"));
    QCOMPARE(response.status(), 431);
    QCOMPARE(response.headers().value("content-type"), QByteArray("application/json"));
    const QJsonObject body = QJsonDocument::fromJson(response.body()).object();
    QCOMPARE(body.value(QStringLiteral("error")).toString(), QStringLiteral("header section \"too\" big"));
    QCOMPARE(body.value(QStringLiteral("status")).toInt(), 431);
    QCOMPARE(body.size(), 2);
    const QByteArray wire = response.serialize();
    QVERIFY(wire.contains(
        QByteArray("\r\nContent-Length: " + QByteArray::number(response.body().size()) + "\r\n")));
}

void TestHttpResponse::streamingHead()
{
    HttpResponse response(200);
    response.setHeader("Content-Type", "text/event-stream");
    response.setHeader("Cache-Control", "no-cache");
    response.setBody("not sent");
    QCOMPARE(response.serializeHead(),
        QByteArray("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n\r\n"));
}

void TestHttpResponse::headerInjectionRefused_data()
{
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<QByteArray>("value");
    QTest::newRow("CRLF in value") << QByteArray("X-A") << QByteArray("a\r\nSet-Cookie: x=1");
    QTest::newRow("LF in value") << QByteArray("X-A") << QByteArray("a\nb");
    QTest::newRow("NUL in value") << QByteArray("X-A") << QByteArray("a\0b", 3);
    QTest::newRow("colon in name") << QByteArray("X:A") << QByteArray("v");
    QTest::newRow("space in name") << QByteArray("X A") << QByteArray("v");
    QTest::newRow("empty name") << QByteArray() << QByteArray("v");
}

void TestHttpResponse::headerInjectionRefused()
{
    QFETCH(QByteArray, name);
    QFETCH(QByteArray, value);
    HttpResponse response(200);
    QVERIFY(!response.setHeader(name, value));
    QVERIFY(!response.addHeader(name, value));
    QVERIFY(response.headers().isEmpty());
}

void TestHttpResponse::webSocketAccept()
{
    // RFC 6455 section 1.3 example.
    QCOMPARE(HttpResponse::webSocketAccept("dGhlIHNhbXBsZSBub25jZQ=="),
        QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
}

void TestHttpResponse::closeConnection()
{
    HttpResponse response = HttpResponse::jsonError(400, QStringLiteral("bad"));
    QVERIFY(!response.closesConnection());
    response.setCloseConnection(true);
    QVERIFY(response.closesConnection());
    QVERIFY(response.serialize().contains("\r\nConnection: close\r\n"));
    response.setCloseConnection(false);
    QVERIFY(!response.serialize().contains("Connection"));
}

SB_TEST_APPLESS_MAIN(TestHttpResponse)
#include "tst_httpresponse.moc"
