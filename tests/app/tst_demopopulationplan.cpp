// The pure parts of the demo population: how users spread over replicas (skew), which speak
// STOMP, how many messages fall due at a rate and in a burst, and the users file the demo
// writes, read back by the node's own UserDirectory.
#include "app/DemoUsers.h"
#include "app/MessageSchedule.h"
#include "app/ReplicaSpread.h"
#include "node/UserDirectory.h"
#include "support/TestMain.h"

#include <QFile>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using sb::app::DemoPopulationOptions;
using sb::app::DemoUser;
using sb::app::DemoUsers;
using sb::app::MessageSchedule;
using sb::app::ReplicaSpread;

class TestDemoPopulationPlan : public QObject
{
    Q_OBJECT

private slots:
    void countsFollowTheSkew_data()
    {
        QTest::addColumn<int>("users");
        QTest::addColumn<int>("replicas");
        QTest::addColumn<double>("skew");
        QTest::addColumn<QList<int>>("expected");
        QTest::newRow("even") << 60 << 3 << 0.0 << QList<int> { 20, 20, 20 };
        QTest::newRow("even with a remainder") << 61 << 3 << 0.0 << QList<int> { 21, 20, 20 };
        QTest::newRow("half on node-1") << 60 << 3 << 0.5 << QList<int> { 30, 15, 15 };
        QTest::newRow("below an even share is even") << 60 << 3 << 0.2 << QList<int> { 20, 20, 20 };
        QTest::newRow("all on node-1") << 60 << 3 << 1.0 << QList<int> { 60, 0, 0 };
        QTest::newRow("more than all is all") << 10 << 2 << 7.0 << QList<int> { 10, 0 };
        QTest::newRow("not a number is even") << 9 << 3 << std::nan("") << QList<int> { 3, 3, 3 };
        QTest::newRow("one replica") << 7 << 1 << 0.5 << QList<int> { 7 };
        QTest::newRow("no users") << 0 << 3 << 0.5 << QList<int> { 0, 0, 0 };
        QTest::newRow("no replicas") << 5 << 0 << 0.0 << QList<int> {};
    }

    void countsFollowTheSkew()
    {
        QFETCH(int, users);
        QFETCH(int, replicas);
        QFETCH(double, skew);
        QFETCH(QList<int>, expected);
        QCOMPARE(ReplicaSpread::counts(users, replicas, skew), expected);
        // assign() gives each replica exactly its count, interleaved rather than in blocks.
        const QList<int> assignment = ReplicaSpread::assign(users, replicas, skew);
        QCOMPARE(assignment.size(), replicas > 0 ? users : 0);
        for (int replica = 0; replica < expected.size(); ++replica)
            QCOMPARE(int(assignment.count(replica)), expected.at(replica));
    }

    void assignmentInterleavesReplicas()
    {
        // Even over 3: every window of 3 consecutive users covers the 3 replicas, so the
        // transports (chosen by position) mix on every replica.
        const QList<int> assignment = ReplicaSpread::assign(60, 3, 0.0);
        for (int i = 0; i + 3 <= assignment.size(); i += 3)
            QCOMPARE(QSet<int>(assignment.begin() + i, assignment.begin() + i + 3).size(), 3);
    }

    void stompShareIsSpreadThroughTheList()
    {
        for (const double share : { 0.0, 0.25, 0.6, 1.0 }) {
            int stomp = 0;
            int longestRun = 0;
            int run = 0;
            for (int i = 0; i < 60; ++i) {
                const bool speaks = ReplicaSpread::speaksStomp(i, share);
                stomp += speaks ? 1 : 0;
                run = speaks ? run + 1 : 0;
                longestRun = std::max(longestRun, run);
            }
            QCOMPARE(stomp, int(std::lround(60 * share)));
            // Spread, not bunched: at 0.6 no more than 2 STOMP users in a row.
            if (share > 0 && share < 1)
                QVERIFY2(longestRun <= int(std::ceil(share / (1 - share))),
                    qPrintable(QString::number(longestRun)));
        }
    }

    void scheduleSendsTheRateExactly()
    {
        MessageSchedule schedule(20);
        QCOMPARE(schedule.due(1000), 0); // the first call starts the clock
        int sent = 0;
        for (qint64 now = 1050; now <= 11000; now += 50)
            sent += schedule.due(now);
        QCOMPARE(sent, 200); // 10 s at 20/s, polled every 50 ms

        // A rate below one per poll carries its fractions: 0.5/s is one every 2 s.
        MessageSchedule slow(0.5);
        slow.due(0);
        int slowSent = 0;
        for (qint64 now = 50; now <= 10000; now += 50)
            slowSent += slow.due(now);
        QCOMPARE(slowSent, 5);
    }

    void burstMultipliesTheRateUntilItsEnd()
    {
        MessageSchedule schedule(20);
        schedule.due(0);
        schedule.burst(10, 2000); // ×10 until t = 2 s
        QCOMPARE(schedule.rateAt(1000), 200.0);
        QCOMPARE(schedule.due(1000), 200);
        QCOMPARE(schedule.due(1500), 100);
        // Half of this interval is in the burst, half after it.
        QCOMPARE(schedule.due(2500), 100 + 10);
        QCOMPARE(schedule.rateAt(2500), 20.0);
        QCOMPARE(schedule.due(3500), 20);
    }

    void stalledClockDoesNotFlood()
    {
        MessageSchedule schedule(20);
        schedule.due(0);
        // A minute without a poll owes at most kMaxCatchUpMs worth.
        QCOMPARE(schedule.due(60000), int(20 * MessageSchedule::kMaxCatchUpMs / 1000));
        QCOMPARE(schedule.due(59000), 0); // a clock going back owes nothing
        MessageSchedule hostile(std::nan(""));
        hostile.due(0);
        QCOMPARE(hostile.due(1000), 0);
        hostile.setRate(-5);
        QCOMPARE(hostile.due(2000), 0);
    }

    void usersFileRoundTripsThroughTheNodesDirectory()
    {
        DemoPopulationOptions options;
        options.users = 65; // past the list of names: numbered ones follow
        options.channels = 5;
        const QList<DemoUser> users = DemoUsers::generate(options);
        QCOMPARE(users.size(), 65);
        QSet<QString> names;
        for (const DemoUser &user : users) {
            names.insert(user.name);
            QCOMPARE(user.channels.first(), QStringLiteral("general"));
            QCOMPARE(user.channels.size(), 3);
            QVERIFY(user.password.size() >= 24);
            // Never one of --demo-users' accounts, which the same replicas hold.
            QVERIFY(!QStringList({ QStringLiteral("alice"), QStringLiteral("bob"), QStringLiteral("carol"),
                                     QStringLiteral("admin") })
                         .contains(user.name));
        }
        QCOMPARE(names.size(), 65);

        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("users.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        // Low cost here: the format is under test, not PBKDF2's price.
        file.write(DemoUsers::usersFileJson(users, 10));
        file.close();

        sb::node::UserDirectory directory;
        QString error;
        QVERIFY2(directory.loadFile(path, &error), qPrintable(error));
        QCOMPARE(directory.size(), 65);
        for (const DemoUser &user : users) {
            const auto found = directory.authenticate(user.name, user.password);
            QVERIFY2(found.has_value(), qPrintable(user.name));
            QCOMPARE(found->channels, user.channels);
            QVERIFY(!found->isAdmin());
            QVERIFY(!directory.authenticate(user.name, user.password + u'x').has_value());
        }
        // Every channel has members, so every channel has traffic.
        for (const QString &channel : DemoUsers::channelNames(options.channels))
            QVERIFY2(directory.membersOf(channel).size() >= 2, qPrintable(channel));
        // A node would start with it: the hashes carry the cost the demo chose.
        const QByteArray cost = "pbkdf2-sha256$" + QByteArray::number(DemoUsers::kPasswordIterations) + '$';
        QVERIFY(DemoUsers::usersFileJson(users.mid(0, 1)).contains(cost));
    }
};

SB_TEST_GUILESS_MAIN(TestDemoPopulationPlan)
#include "tst_demopopulationplan.moc"
