// ProbeCommandLine: what each option becomes in the probe's settings (the process test
// covers the exit codes and the one-line errors end to end).
#include "app/ProbeCommandLine.h"
#include "support/TestMain.h"

#include <QTest>

using namespace sb::app;
using namespace Qt::StringLiterals;

class TestProbeCommandLine : public QObject
{
    Q_OBJECT

private slots:
    void stompOptions();
    void stompDefaults();
    void sendTakesTwoValues();
    void sseOptions();
    void headerValues_data();
    void headerValues();
    void helpExitsZero();
};

namespace {
QStringList probeArgs(const QStringList &rest)
{
    return QStringList { u"switchboard probe"_s } + rest;
}
} // namespace

void TestProbeCommandLine::stompOptions()
{
    ProbeCommandLine commandLine;
    const CommandLineOutcome outcome = commandLine.parse(probeArgs({ u"stomp"_s, u"http://app:8080/stomp"_s,
        u"--sockjs"_s, u"--header"_s, u"login:guest"_s, u"--header"_s, u"passcode:guest"_s, u"--ws-header"_s,
        u"Cookie: JSESSIONID=1"_s, u"--subprotocol"_s, u"v12.stomp,v11.stomp"_s, u"--subscribe"_s,
        u"/topic/a"_s, u"--subscribe"_s, u"/queue/b"_s, u"--ack"_s, u"client"_s, u"--count"_s, u"3"_s,
        u"--timeout"_s, u"1.5"_s, u"--sent"_s, u"--source"_s, u"spring"_s }));
    QVERIFY2(outcome.run, qPrintable(outcome.standardError));
    const ProbeOptions &options = commandLine.options();
    QCOMPARE(options.kind, ProbeOptions::Kind::Stomp);
    QCOMPARE(options.stomp.url, QUrl(u"http://app:8080/stomp"_s));
    QVERIFY(options.stomp.sockJs);
    QCOMPARE(options.stomp.connectHeaders,
        (sb::inspect::ProbeHeaders { { u"login"_s, u"guest"_s }, { u"passcode"_s, u"guest"_s } }));
    QCOMPARE(
        options.stomp.handshakeHeaders, (sb::inspect::ProbeHeaders { { u"Cookie"_s, u"JSESSIONID=1"_s } }));
    QCOMPARE(options.stomp.subprotocols, (QStringList { u"v12.stomp"_s, u"v11.stomp"_s }));
    QCOMPARE(options.stomp.subscriptions, (QStringList { u"/topic/a"_s, u"/queue/b"_s }));
    QCOMPARE(options.stomp.ackMode, u"client"_s);
    QCOMPARE(options.stomp.source, u"spring"_s);
    QCOMPARE(options.count, 3);
    QCOMPARE(options.timeoutSeconds, 1.5);
    QVERIFY(options.printSent);
}

void TestProbeCommandLine::stompDefaults()
{
    ProbeCommandLine commandLine;
    QVERIFY(commandLine.parse(probeArgs({ u"stomp"_s, u"ws://h/ws"_s })).run);
    const ProbeOptions &options = commandLine.options();
    QCOMPARE(options.stomp.subprotocols, sb::inspect::StompProbeSettings::defaultSubprotocols());
    QVERIFY(!options.stomp.sockJs);
    QCOMPARE(options.stomp.source, u"probe"_s);
    QCOMPARE(options.count, 0);
    QCOMPARE(options.timeoutSeconds, 0.0);
    QVERIFY(options.sends.isEmpty());
}

void TestProbeCommandLine::sendTakesTwoValues()
{
    ProbeCommandLine commandLine;
    // A body that looks like an option or a URL is still the body.
    const CommandLineOutcome outcome = commandLine.parse(probeArgs({ u"--send"_s, u"/app/a"_s, u"--count"_s,
        u"stomp"_s, u"ws://h/ws"_s, u"--send=/app/b"_s, uR"({"x":1})"_s }));
    QVERIFY2(outcome.run, qPrintable(outcome.standardError));
    const auto &sends = commandLine.options().sends;
    QCOMPARE(sends.size(), 2);
    QCOMPARE(sends.at(0).destination, u"/app/a"_s);
    QCOMPARE(sends.at(0).body, "--count"_ba);
    QCOMPARE(sends.at(1).destination, u"/app/b"_s);
    QCOMPARE(sends.at(1).body, R"({"x":1})"_ba);
    QCOMPARE(commandLine.options().count, 0);
}

void TestProbeCommandLine::sseOptions()
{
    ProbeCommandLine commandLine;
    const CommandLineOutcome outcome
        = commandLine.parse(probeArgs({ u"sse"_s, u"https://h/api/sse?ticket=t"_s, u"--header"_s,
            u"Authorization: Bearer abc"_s, u"--last-event-id"_s, u"17-a"_s, u"--retry-ms"_s, u"250"_s }));
    QVERIFY2(outcome.run, qPrintable(outcome.standardError));
    const ProbeOptions &options = commandLine.options();
    QCOMPARE(options.kind, ProbeOptions::Kind::Sse);
    QCOMPARE(options.sse.url, QUrl(u"https://h/api/sse?ticket=t"_s));
    QCOMPARE(options.sse.headers, (sb::inspect::ProbeHeaders { { u"Authorization"_s, u"Bearer abc"_s } }));
    QCOMPARE(options.sse.lastEventId, u"17-a"_s);
    QCOMPARE(options.sse.defaultRetryMs, 250);
}

void TestProbeCommandLine::headerValues_data()
{
    QTest::addColumn<QString>("argument");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("value");
    QTest::newRow("plain") << u"host:example"_s << u"host"_s << u"example"_s;
    QTest::newRow("blank after colon dropped")
        << u"Authorization: Bearer x"_s << u"Authorization"_s << u"Bearer x"_s;
    QTest::newRow("colon in value kept") << u"x-url:http://a:1/b"_s << u"x-url"_s << u"http://a:1/b"_s;
    QTest::newRow("empty value") << u"x-empty:"_s << u"x-empty"_s << QString();
}

void TestProbeCommandLine::headerValues()
{
    QFETCH(QString, argument);
    QFETCH(QString, name);
    QFETCH(QString, value);
    ProbeCommandLine commandLine;
    const CommandLineOutcome outcome
        = commandLine.parse(probeArgs({ u"sse"_s, u"http://h/s"_s, u"--header"_s, argument }));
    QVERIFY2(outcome.run, qPrintable(outcome.standardError));
    QCOMPARE(commandLine.options().sse.headers, (sb::inspect::ProbeHeaders { { name, value } }));
}

void TestProbeCommandLine::helpExitsZero()
{
    ProbeCommandLine commandLine;
    const CommandLineOutcome outcome = commandLine.parse(probeArgs({ u"--help"_s }));
    QVERIFY(!outcome.run);
    QCOMPARE(outcome.exitCode, 0);
    QVERIFY(outcome.standardOutput.contains(u"switchboard probe"_s));
    QVERIFY(outcome.standardOutput.contains(u"--send"_s));
}

SB_TEST_APPLESS_MAIN(TestProbeCommandLine)
#include "tst_probecommandline.moc"
