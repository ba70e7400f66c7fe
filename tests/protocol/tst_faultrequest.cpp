#include "protocol/FaultRequest.h"
#include "support/TestMain.h"

#include <QJsonDocument>
#include <QTest>

using sb::protocol::FaultRequest;

namespace {
// JSON written with single quotes, so the test data reads without escapes.
QByteArray json(const char *text)
{
    return QByteArray(text).replace('\'', '"');
}

QJsonObject object(const QByteArray &text)
{
    return QJsonDocument::fromJson(text).object();
}
} // namespace

// The one parser every fault path goes through: the control endpoint's body, a demo-script
// step and the command line's words.
class TestFaultRequest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void acceptsEachAction_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("expected"); // toJson(), defaults filled in
        QTest::newRow("kill") << json("{'action':'kill','args':{'replica':'node-2'}}")
                              << json("{'action':'kill','args':{'replica':'node-2','restartAfter':10}}");
        QTest::newRow("kill stays down")
            << json("{'action':'kill','args':{'replica':'node-2','stayDown':true}}")
            << json("{'action':'kill','args':{'replica':'node-2','stayDown':true}}");
        QTest::newRow("drain") << json("{'action':'drain','args':{'replica':'n.1','restartAfter':0}}")
                               << json("{'action':'drain','args':{'replica':'n.1','restartAfter':0}}");
        QTest::newRow("start") << json("{'action':'start','args':{'replica':'node-3'}}")
                               << json("{'action':'start','args':{'replica':'node-3'}}");
        QTest::newRow("restart-redis, no args")
            << json("{'action':'restart-redis'}") << json("{'action':'restart-redis','args':{}}");
        QTest::newRow("restart-redis, null args")
            << json("{'action':'restart-redis','args':null}") << json("{'action':'restart-redis','args':{}}");
        QTest::newRow("poison default")
            << json("{'action':'poison','args':{}}") << json("{'action':'poison','args':{'count':1}}");
        QTest::newRow("poison max") << json("{'action':'poison','args':{'count':1000}}")
                                    << json("{'action':'poison','args':{'count':1000}}");
        QTest::newRow("revoke") << json("{'action':'revoke','args':{'user':'alice smith'}}")
                                << json("{'action':'revoke','args':{'user':'alice smith'}}");
        QTest::newRow("bus") << json("{'action':'bus','args':{'bus':'redis'}}")
                             << json("{'action':'bus','args':{'bus':'redis'}}");
        QTest::newRow("burst") << json("{'action':'burst','args':{'factor':2.5,'seconds':3}}")
                               << json("{'action':'burst','args':{'factor':2.5,'seconds':3}}");
        QTest::newRow("slow-consumer") << json("{'action':'slow-consumer','args':{'replica':'node-1'}}")
                                       << json("{'action':'slow-consumer','args':{'replica':'node-1'}}");
    }
    void acceptsEachAction()
    {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, expected);
        QString error;
        const auto request = FaultRequest::fromJson(body, &error);
        QVERIFY2(request, qPrintable(error));
        QCOMPARE(request->toJson(), QJsonDocument::fromJson(expected).object());
        const auto again = FaultRequest::parse(request->name(), request->args(), &error);
        QVERIFY2(again, qPrintable(error));
        QCOMPARE(again->toJson(), request->toJson());
    }

    void refusesWithOneLine_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("errorContains");
        QTest::newRow("empty") << QByteArray() << QStringLiteral("not JSON");
        QTest::newRow("truncated") << json("{'action':'kill','args':{'repl") << QStringLiteral("not JSON");
        QTest::newRow("array") << QByteArray("[1,2]") << QStringLiteral("expected a JSON object");
        QTest::newRow("no action") << json("{'args':{}}") << QStringLiteral("\"action\": expected a string");
        QTest::newRow("action a number")
            << json("{'action':3}") << QStringLiteral("\"action\": expected a string");
        QTest::newRow("args an array")
            << json("{'action':'kill','args':[]}") << QStringLiteral("\"args\": expected an object");
        QTest::newRow("unknown action")
            << json("{'action':'explode'}") << QStringLiteral("unknown fault action 'explode'");
        QTest::newRow("unknown argument") << json("{'action':'kill','args':{'replica':'node-1','signal':9}}")
                                          << QStringLiteral("kill: unknown argument 'signal'");
        QTest::newRow("args to restart-redis") << json("{'action':'restart-redis','args':{'x':1}}")
                                               << QStringLiteral("restart-redis: takes no arguments");
        QTest::newRow("no replica") << json("{'action':'kill','args':{}}")
                                    << QStringLiteral("kill: replica:");
        QTest::newRow("replica a number")
            << json("{'action':'drain','args':{'replica':2}}") << QStringLiteral("drain: replica:");
        QTest::newRow("replica with a slash")
            << json("{'action':'kill','args':{'replica':'../x'}}") << QStringLiteral("kill: replica:");
        QTest::newRow("replica too long")
            << (json("{'action':'kill','args':{'replica':'") + QByteArray(65, 'a') + "\"}}")
            << QStringLiteral("kill: replica:");
        QTest::newRow("restartAfter negative")
            << json("{'action':'kill','args':{'replica':'n','restartAfter':-1}}")
            << QStringLiteral("restartAfter: expected a whole number from 0 to 3600");
        QTest::newRow("restartAfter fraction")
            << json("{'action':'kill','args':{'replica':'n','restartAfter':1.5}}")
            << QStringLiteral("restartAfter: expected a whole number");
        QTest::newRow("restartAfter a string")
            << json("{'action':'kill','args':{'replica':'n','restartAfter':'5'}}")
            << QStringLiteral("restartAfter: expected a whole number");
        QTest::newRow("stayDown a string")
            << json("{'action':'kill','args':{'replica':'n','stayDown':'yes'}}")
            << QStringLiteral("stayDown: expected true or false");
        QTest::newRow("poison zero") << json("{'action':'poison','args':{'count':0}}")
                                     << QStringLiteral("count:");
        QTest::newRow("poison over the limit")
            << json("{'action':'poison','args':{'count':1001}}")
            << QStringLiteral("count: expected a whole number from 1 to 1000");
        QTest::newRow("poison huge") << json("{'action':'poison','args':{'count':1e300}}")
                                     << QStringLiteral("count:");
        QTest::newRow("revoke nobody")
            << json("{'action':'revoke','args':{'user':''}}") << QStringLiteral("revoke: user:");
        QTest::newRow("revoke control chars")
            << json("{'action':'revoke','args':{'user':'a\\u0000b'}}") << QStringLiteral("revoke: user:");
        QTest::newRow("bus unknown") << json("{'action':'bus','args':{'bus':'rabbit'}}")
                                     << QStringLiteral("bus: bus: expected kafka or redis");
        QTest::newRow("burst factor too big")
            << json("{'action':'burst','args':{'factor':1000}}") << QStringLiteral("burst: factor:");
        QTest::newRow("burst factor below one")
            << json("{'action':'burst','args':{'factor':0.5}}") << QStringLiteral("burst: factor:");
        QTest::newRow("burst seconds zero")
            << json("{'action':'burst','args':{'seconds':0}}") << QStringLiteral("burst: seconds:");
        QTest::newRow("oversized") << (json("{'action':'kill','args':{'replica':'n','pad':'")
            + QByteArray(FaultRequest::kMaxBodyBytes, 'x') + "\"}}")
                                   << QStringLiteral("request too large");
    }
    void refusesWithOneLine()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, errorContains);
        QString error;
        const auto request = FaultRequest::fromJson(body, &error);
        QVERIFY(!request);
        QVERIFY2(error.contains(errorContains), qPrintable(error));
        QVERIFY(!error.contains(u'\n'));
        QVERIFY(error.size() < 400);
    }

    void commandLineWords_data()
    {
        QTest::addColumn<QString>("action");
        QTest::addColumn<QStringList>("words");
        QTest::addColumn<QByteArray>("expected"); // the args object, or "" for a refusal
        QTest::newRow("bare replica") << QStringLiteral("kill") << QStringList { QStringLiteral("node-2") }
                                      << json("{'replica':'node-2'}");
        QTest::newRow("key=value, typed")
            << QStringLiteral("kill")
            << QStringList { QStringLiteral("replica=node-2"), QStringLiteral("restartAfter=5") }
            << json("{'replica':'node-2','restartAfter':5}");
        QTest::newRow("stayDown=true")
            << QStringLiteral("drain")
            << QStringList { QStringLiteral("node-1"), QStringLiteral("stayDown=true") }
            << json("{'replica':'node-1','stayDown':true}");
        QTest::newRow("numeric replica stays a string")
            << QStringLiteral("kill") << QStringList { QStringLiteral("7") } << json("{'replica':'7'}");
        QTest::newRow("bare count") << QStringLiteral("poison") << QStringList { QStringLiteral("5") }
                                    << json("{'count':5}");
        QTest::newRow("twice") << QStringLiteral("kill")
                               << QStringList { QStringLiteral("a"), QStringLiteral("replica=b") }
                               << QByteArray();
        QTest::newRow("bare word where none")
            << QStringLiteral("restart-redis") << QStringList { QStringLiteral("now") } << QByteArray();
        QTest::newRow("no key") << QStringLiteral("kill") << QStringList { QStringLiteral("=x") }
                                << QByteArray();
        QTest::newRow("unknown action") << QStringLiteral("boom") << QStringList {} << QByteArray();
    }
    void commandLineWords()
    {
        QFETCH(QString, action);
        QFETCH(QStringList, words);
        QFETCH(QByteArray, expected);
        QString error;
        const auto args = FaultRequest::argsFromWords(action, words, &error);
        if (expected.isEmpty()) {
            QVERIFY(!args);
            QVERIFY(!error.isEmpty());
            return;
        }
        QVERIFY2(args, qPrintable(error));
        QCOMPARE(*args, object(expected));
    }

    void usageNamesEveryAction()
    {
        const QString usage = FaultRequest::usage();
        for (const QString &name : FaultRequest::actionNames())
            QVERIFY2(usage.contains(QStringLiteral("  ") + name + u' '), qPrintable(name));
    }
};

SB_TEST_APPLESS_MAIN(TestFaultRequest)
#include "tst_faultrequest.moc"
