#include "protocol/StompHeartBeat.h"
#include "support/TestMain.h"

#include <QTest>

using namespace sb::protocol;
using namespace Qt::StringLiterals;

class TestStompHeartBeat : public QObject
{
    Q_OBJECT

private slots:
    void parse_data();
    void parse();
    void negotiate_data();
    void negotiate();
};

void TestStompHeartBeat::parse_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<qint64>("send");
    QTest::addColumn<qint64>("receive");

    QTest::newRow("typical") << "10000,10000"_ba << true << qint64(10000) << qint64(10000);
    QTest::newRow("zeros") << "0,0"_ba << true << qint64(0) << qint64(0);
    QTest::newRow("asymmetric") << "0,5000"_ba << true << qint64(0) << qint64(5000);
    QTest::newRow("max") << "2147483647,1"_ba << true << qint64(2147483647) << qint64(1);
    QTest::newRow("overflow") << "2147483648,1"_ba << false << qint64(0) << qint64(0);
    QTest::newRow("empty") << ""_ba << false << qint64(0) << qint64(0);
    QTest::newRow("one number") << "1000"_ba << false << qint64(0) << qint64(0);
    QTest::newRow("three numbers") << "1,2,3"_ba << false << qint64(0) << qint64(0);
    QTest::newRow("negative") << "-1,0"_ba << false << qint64(0) << qint64(0);
    QTest::newRow("spaces") << "1000, 1000"_ba << false << qint64(0) << qint64(0);
    QTest::newRow("missing second") << "1000,"_ba << false << qint64(0) << qint64(0);
    QTest::newRow("text") << "a,b"_ba << false << qint64(0) << qint64(0);
    QTest::newRow("long digits") << "00000000000001,1"_ba << false << qint64(0) << qint64(0);
}

void TestStompHeartBeat::parse()
{
    QFETCH(QByteArray, value);
    QFETCH(bool, valid);
    QFETCH(qint64, send);
    QFETCH(qint64, receive);
    const auto parsed = StompHeartBeat::parse(value);
    QCOMPARE(parsed.has_value(), valid);
    if (valid) {
        QCOMPARE(parsed->sendMs, send);
        QCOMPARE(parsed->receiveMs, receive);
        QCOMPARE(parsed->toHeaderValue(), value);
    }
}

void TestStompHeartBeat::negotiate_data()
{
    // Columns are the spec's names: the client's CONNECT cx,cy and the server's
    // CONNECTED sx,sy; then what each side must do.
    QTest::addColumn<StompHeartBeat>("client");
    QTest::addColumn<StompHeartBeat>("server");
    QTest::addColumn<qint64>("clientToServer");
    QTest::addColumn<qint64>("serverToClient");

    QTest::newRow("both 10s") << StompHeartBeat { 10000, 10000 } << StompHeartBeat { 10000, 10000 }
                              << qint64(10000) << qint64(10000);
    QTest::newRow("max of the pair, each direction")
        << StompHeartBeat { 4000, 20000 } << StompHeartBeat { 10000, 5000 } << qint64(5000) << qint64(20000);
    QTest::newRow("client cannot send")
        << StompHeartBeat { 0, 1000 } << StompHeartBeat { 500, 700 } << qint64(0) << qint64(1000);
    QTest::newRow("client wants none")
        << StompHeartBeat { 1000, 0 } << StompHeartBeat { 500, 700 } << qint64(1000) << qint64(0);
    QTest::newRow("server cannot send")
        << StompHeartBeat { 1000, 1000 } << StompHeartBeat { 0, 3000 } << qint64(3000) << qint64(0);
    QTest::newRow("server wants none")
        << StompHeartBeat { 1000, 1000 } << StompHeartBeat { 3000, 0 } << qint64(0) << qint64(3000);
    QTest::newRow("no header on either side")
        << StompHeartBeat {} << StompHeartBeat {} << qint64(0) << qint64(0);
}

void TestStompHeartBeat::negotiate()
{
    QFETCH(StompHeartBeat, client);
    QFETCH(StompHeartBeat, server);
    QFETCH(qint64, clientToServer);
    QFETCH(qint64, serverToClient);

    const StompHeartBeatIntervals atServer = negotiateStompHeartBeat(server, client);
    QCOMPARE(atServer.outgoingMs, serverToClient);
    QCOMPARE(atServer.incomingMs, clientToServer);

    const StompHeartBeatIntervals atClient = negotiateStompHeartBeat(client, server);
    QCOMPARE(atClient.outgoingMs, clientToServer);
    QCOMPARE(atClient.incomingMs, serverToClient);
}

SB_TEST_APPLESS_MAIN(TestStompHeartBeat)
#include "tst_stompheartbeat.moc"
