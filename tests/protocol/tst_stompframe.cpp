#include "protocol/StompFrame.h"
#include "support/TestMain.h"

#include <QTest>

using namespace sb::protocol;
using namespace Qt::StringLiterals;

class TestStompFrame : public QObject
{
    Q_OBJECT

private slots:
    void repeatedHeaderFirstWins();
    void setHeaderReplacesFirstAndDropsDuplicates();
    void addAndRemove();
    void commandClasses_data();
    void commandClasses();
};

void TestStompFrame::repeatedHeaderFirstWins()
{
    const StompFrame frame("MESSAGE", { { "foo", "World" }, { "foo", "Hello" } });
    QCOMPARE(frame.header("foo"), "World"_ba);
    QVERIFY(frame.hasHeader("foo"));
    QVERIFY(!frame.hasHeader("bar"));
    QCOMPARE(frame.header("bar"), QByteArray());
    QCOMPARE(frame.header("bar", "fallback"_ba), "fallback"_ba);
    // An empty value is present, not missing.
    QCOMPARE(StompFrame("SEND", { { "e", "" } }).header("e", "fallback"_ba), ""_ba);
}

void TestStompFrame::setHeaderReplacesFirstAndDropsDuplicates()
{
    StompFrame frame("SEND", { { "a", "1" }, { "b", "2" }, { "a", "3" } });
    frame.setHeader("a", "9");
    QCOMPARE(frame.headers(), StompHeaders({ { "a", "9" }, { "b", "2" } }));
    frame.setHeader("c", "4");
    QCOMPARE(frame.headers(), StompHeaders({ { "a", "9" }, { "b", "2" }, { "c", "4" } }));
}

void TestStompFrame::addAndRemove()
{
    StompFrame frame("SEND");
    frame.addHeader("a", "1");
    frame.addHeader("a", "2");
    QCOMPARE(frame.header("a"), "1"_ba);
    QCOMPARE(frame.headers().size(), 2);
    QCOMPARE(frame.removeHeader("a"), 2);
    QVERIFY(frame.headers().isEmpty());
    frame.setBody("x");
    QCOMPARE(frame, StompFrame("SEND", {}, "x"));
    QVERIFY(frame != StompFrame("SEND", {}, "y"));
}

void TestStompFrame::commandClasses_data()
{
    QTest::addColumn<QByteArray>("command");
    QTest::addColumn<bool>("client");
    QTest::addColumn<bool>("server");
    QTest::addColumn<bool>("unescaped");
    for (const char *c :
        { "SEND", "SUBSCRIBE", "UNSUBSCRIBE", "ACK", "NACK", "BEGIN", "COMMIT", "ABORT", "DISCONNECT" })
        QTest::newRow(c) << QByteArray(c) << true << false << false;
    QTest::newRow("CONNECT") << "CONNECT"_ba << true << false << true;
    QTest::newRow("STOMP") << "STOMP"_ba << true << false << true;
    QTest::newRow("CONNECTED") << "CONNECTED"_ba << false << true << true;
    for (const char *c : { "MESSAGE", "RECEIPT", "ERROR" })
        QTest::newRow(c) << QByteArray(c) << false << true << false;
    QTest::newRow("lower case") << "send"_ba << false << false << false;
    QTest::newRow("empty") << QByteArray() << false << false << false;
}

void TestStompFrame::commandClasses()
{
    QFETCH(QByteArray, command);
    QFETCH(bool, client);
    QFETCH(bool, server);
    QFETCH(bool, unescaped);
    QCOMPARE(StompFrame::isClientCommand(command), client);
    QCOMPARE(StompFrame::isServerCommand(command), server);
    QCOMPARE(StompFrame::isUnescapedCommand(command), unescaped);
    QCOMPARE(StompFrame(command).isClientCommand(), client);
}

SB_TEST_APPLESS_MAIN(TestStompFrame)
#include "tst_stompframe.moc"
