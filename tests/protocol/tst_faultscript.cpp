#include "protocol/FaultScript.h"
#include "support/TestMain.h"

#include <QTest>

using sb::protocol::FaultRequest;
using sb::protocol::FaultScript;

namespace {
// JSON written with single quotes, so the test data reads without escapes.
QByteArray scriptJson(const char *text)
{
    return QByteArray(text).replace('\'', '"');
}
} // namespace

// `--demo-script FILE`: steps validated by FaultRequest, errors that name the step.
class TestFaultScript : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesStepsInTimeOrder()
    {
        QString error;
        const auto steps
            = FaultScript::parse(scriptJson("[{'at': 6, 'action': 'poison', 'args': {'count': 2}},"
                                            " {'at': 1.5, 'action': 'kill', 'args': {'replica': 'node-2'}},"
                                            " {'at': 6, 'action': 'restart-redis'}]"),
                &error);
        QVERIFY2(steps, qPrintable(error));
        QCOMPARE(steps->size(), 3);
        QCOMPARE(steps->at(0).atSeconds, 1.5);
        QCOMPARE(steps->at(0).request.action, FaultRequest::Action::Kill);
        QCOMPARE(steps->at(0).request.replica, QStringLiteral("node-2"));
        // Same time: the file's order is kept.
        QCOMPARE(steps->at(1).request.action, FaultRequest::Action::Poison);
        QCOMPARE(steps->at(1).request.count, 2);
        QCOMPARE(steps->at(2).request.action, FaultRequest::Action::RestartRedis);
    }

    void emptyListIsAScriptThatDoesNothing()
    {
        QString error;
        const auto steps = FaultScript::parse("[]", &error);
        QVERIFY2(steps, qPrintable(error));
        QVERIFY(steps->isEmpty());
    }

    void refusesABadFile_data()
    {
        QTest::addColumn<QByteArray>("file");
        QTest::addColumn<QString>("says");
        QTest::newRow("empty") << QByteArray() << QStringLiteral("not JSON");
        QTest::newRow("truncated") << scriptJson("[{'at': 3, 'action': 'kill', 'args': {'repl")
                                   << QStringLiteral("not JSON");
        QTest::newRow("an object") << scriptJson("{'at': 3}")
                                   << QStringLiteral("expected a JSON list of steps");
        QTest::newRow("a step not an object")
            << scriptJson("[3]") << QStringLiteral("step 1: expected an object");
        QTest::newRow("no at") << scriptJson("[{'action': 'restart-redis'}]")
                               << QStringLiteral("step 1: \"at\": expected seconds");
        QTest::newRow("negative at") << scriptJson("[{'at': -1, 'action': 'restart-redis'}]")
                                     << QStringLiteral("step 1: \"at\"");
        QTest::newRow("at a string") << scriptJson("[{'at': '3', 'action': 'restart-redis'}]")
                                     << QStringLiteral("step 1: \"at\"");
        QTest::newRow("at too late") << scriptJson("[{'at': 1e9, 'action': 'restart-redis'}]")
                                     << QStringLiteral("step 1: \"at\"");
        QTest::newRow("no action") << scriptJson("[{'at': 1}]")
                                   << QStringLiteral("step 1: \"action\": expected a string");
        QTest::newRow("unknown key") << scriptJson("[{'at': 1, 'action': 'restart-redis', 'when': 2}]")
                                     << QStringLiteral("step 1: unknown key 'when'");
        QTest::newRow("args a list") << scriptJson("[{'at': 1, 'action': 'kill', 'args': []}]")
                                     << QStringLiteral("step 1: \"args\": expected an object");
        QTest::newRow("second step bad")
            << scriptJson("[{'at': 1, 'action': 'restart-redis'}, {'at': 2, 'action': 'kill', 'args': {}}]")
            << QStringLiteral("step 2: kill: replica:");
        QTest::newRow("unknown action") << scriptJson("[{'at': 1, 'action': 'explode'}]")
                                        << QStringLiteral("step 1: unknown fault action 'explode'");
        QTest::newRow("too large") << QByteArray(FaultScript::kMaxBytes + 1, ' ')
                                   << QStringLiteral("too large");
        QByteArray many = "[";
        for (int i = 0; i <= FaultScript::kMaxSteps; ++i)
            many += scriptJson("{'at': 1, 'action': 'restart-redis'},");
        many.chop(1);
        many += ']';
        QTest::newRow("too many steps") << many << QStringLiteral("too many steps");
    }
    void refusesABadFile()
    {
        QFETCH(QByteArray, file);
        QFETCH(QString, says);
        QString error;
        QVERIFY(!FaultScript::parse(file, &error));
        QVERIFY2(error.contains(says), qPrintable(error));
        QVERIFY(!error.contains(u'\n'));
    }
};

SB_TEST_APPLESS_MAIN(TestFaultScript)
#include "tst_faultscript.moc"
