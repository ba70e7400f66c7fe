// FaultFanIn: the answers to requests sent at once are handed over together, once, when
// the last one comes, in whatever order they come; none expected is an answer at once.
#include "app/FaultFanIn.h"
#include "support/TestMain.h"

#include <QHash>
#include <QString>
#include <QTest>

#include <functional>

using sb::app::FaultFanIn;
using Answers = QHash<QString, int>;

class TestFaultFanIn : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void noneExpectedAnswersAtOnce()
    {
        int calls = 0;
        const auto fanIn = FaultFanIn<Answers>::expect(0, [&](const Answers &answers) {
            ++calls;
            QVERIFY(answers.isEmpty());
        });
        QVERIFY(!fanIn);
        QCOMPARE(calls, 1);
    }

    void handedOverOnceWhenTheLastComes()
    {
        int calls = 0;
        Answers got;
        const auto fanIn = FaultFanIn<Answers>::expect(3, [&](const Answers &answers) {
            ++calls;
            got = answers;
        });
        QVERIFY(fanIn);
        fanIn->arrive([](Answers &answers) { answers.insert(QStringLiteral("node-3"), 3); });
        fanIn->arrive([](Answers &) {}); // a replica that did not answer adds nothing
        QCOMPARE(calls, 0);
        fanIn->arrive([](Answers &answers) { answers.insert(QStringLiteral("node-1"), 1); });
        QCOMPARE(calls, 1);
        QCOMPARE(got, (Answers { { QStringLiteral("node-1"), 1 }, { QStringLiteral("node-3"), 3 } }));
    }

    void outlivesItsSender()
    {
        // Each reply's callback holds the fan-in: it lives as long as an answer is due.
        int calls = 0;
        std::function<void()> lastReply;
        {
            const auto fanIn = FaultFanIn<Answers>::expect(
                2, [&](const Answers &answers) { calls += int(answers.size()); });
            fanIn->arrive([](Answers &answers) { answers.insert(QStringLiteral("a"), 1); });
            lastReply = [fanIn] {
                fanIn->arrive([](Answers &answers) { answers.insert(QStringLiteral("b"), 2); });
            };
        }
        lastReply();
        QCOMPARE(calls, 2);
    }
};

SB_TEST_GUILESS_MAIN(TestFaultFanIn)
#include "tst_faultfanin.moc"
