// Which consumer groups belong to replicas that are gone (issue 11, item 3), judged without
// a broker: a drained replica's group is RETIRED by its own mark; a killed replica's group
// is DOWN until its session can have timed out, then RETIRED, saying why; groups with a
// live owner, or shared by several replicas, keep Burrow's verdict.
#include "inspect/KafkaGroupRetirement.h"
#include "support/TestMain.h"

#include <QTest>

using namespace sb::inspect;
using sb::cluster::RetiredGroupMark;

namespace {
constexpr qint64 kT0 = 1'800'000'000'000; // ms since epoch
constexpr int kSessionMs = 10000;

QDateTime at(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
}

// Burrow's verdict stands: NotFound here, so a missing override fails a comparison cleanly.
BurrowStatus statusOf(const std::optional<BurrowVerdict> &verdict)
{
    return verdict ? verdict->status : BurrowStatus::NotFound;
}
} // namespace

class TestKafkaGroupRetirement : public QObject
{
    Q_OBJECT
private slots:
    void markRoundTrips()
    {
        const RetiredGroupMark mark { QStringLiteral("switchboard-node-2"), kT0 };
        const auto parsed = RetiredGroupMark::parse(mark.encode());
        QVERIFY(parsed.has_value());
        QCOMPARE(parsed->by, mark.by);
        QCOMPARE(parsed->atMs, kT0);
        QVERIFY(!RetiredGroupMark::parse(QByteArrayLiteral("some application's metadata")).has_value());
    }

    void drainedReplicasMarkedGroupIsRetiredAtOnce()
    {
        KafkaGroupRetirement retirement(kSessionMs);
        retirement.setOwners(
            { { QStringLiteral("sb-broadcast-node-2-a1"), QStringLiteral("node-2"), true, at(kT0) } });
        const auto verdict = retirement.judge(QStringLiteral("sb-broadcast-node-2-a1"), -1,
            RetiredGroupMark { QStringLiteral("switchboard-node-2"), kT0 }, kT0 + 100);
        QVERIFY(verdict.has_value());
        QCOMPARE(verdict->status, BurrowStatus::Retired);
        QVERIFY2(
            verdict->reason.contains(u"left on purpose by switchboard-node-2"), qPrintable(verdict->reason));
        QCOMPARE(burrowSeverity(verdict->status), 0); // no alarm
    }

    void markedGroupOfAReplicaTheConsoleNeverSawIsRetired()
    {
        // The console started after the drain: no owner known, the group's data says it all.
        KafkaGroupRetirement retirement(kSessionMs);
        const auto verdict
            = retirement.judge(QStringLiteral("g"), 0, RetiredGroupMark { QStringLiteral("c"), kT0 }, kT0);
        QVERIFY(verdict.has_value());
        QCOMPARE(verdict->status, BurrowStatus::Retired);
    }

    void killedReplicasGroupIsDownUntilItsSessionTimesOutThenRetired()
    {
        KafkaGroupRetirement retirement(kSessionMs);
        const QString group = QStringLiteral("sb-broadcast-node-3-b2");
        retirement.setOwners({ { group, QStringLiteral("node-3"), true, at(kT0) } });
        const auto during = retirement.judge(group, -1, std::nullopt, kT0 + kSessionMs - 1);
        QVERIFY(during.has_value());
        QCOMPARE(during->status, BurrowStatus::Down);
        QVERIFY2(during->reason.contains(u"node-3 is down"), qPrintable(during->reason));
        QVERIFY(burrowSeverity(during->status) >= burrowSeverity(BurrowStatus::Err));

        const auto after = retirement.judge(group, -1, std::nullopt, kT0 + kSessionMs + 1);
        QVERIFY(after.has_value());
        QCOMPARE(after->status, BurrowStatus::Retired);
        QVERIFY2(after->reason.contains(u"stopped without leaving")
                && after->reason.contains(u"session timed out"),
            qPrintable(after->reason));

        // Retired it stays while the group is watched, also once the console forgot the
        // replica (a real broker keeps listing a group nobody deleted)...
        retirement.setOwners({});
        const auto forgotten = retirement.judge(group, 0, std::nullopt, kT0 + 3 * kSessionMs);
        QVERIFY(forgotten.has_value());
        QCOMPARE(forgotten->status, BurrowStatus::Retired);
        // ... and is forgotten with the group.
        retirement.endPoll({});
        QVERIFY(!retirement.judge(group, 0, std::nullopt, kT0 + 4 * kSessionMs).has_value());
    }

    void brokerSaysWhenTheMemberIsGone()
    {
        KafkaGroupRetirement retirement(kSessionMs);
        const QString group = QStringLiteral("g");
        retirement.setOwners({ { group, QStringLiteral("node-4"), true, at(kT0) } });
        // Long past the assumed timeout, but the broker still counts a member: DOWN.
        const auto held = retirement.judge(group, 1, std::nullopt, kT0 + 5 * kSessionMs);
        QVERIFY(held.has_value());
        QCOMPARE(held->status, BurrowStatus::Down);
        // Well within it, but the broker says the group is empty: RETIRED.
        const auto empty = retirement.judge(group, 0, std::nullopt, kT0 + 1);
        QVERIFY(empty.has_value());
        QCOMPARE(empty->status, BurrowStatus::Retired);
    }

    void groupsExpectedToBeConsumedKeepBurrowsVerdict()
    {
        KafkaGroupRetirement retirement(kSessionMs);
        retirement.setOwners({ { QStringLiteral("mine"), QStringLiteral("node-1"), false, at(kT0) },
            { QStringLiteral("shared"), QStringLiteral("node-1"), true, at(kT0) },
            { QStringLiteral("shared"), QStringLiteral("node-2"), true, at(kT0) } });
        QVERIFY(!retirement.judge(QStringLiteral("mine"), -1, std::nullopt, kT0 + 60000).has_value());
        // Stage 1's group, announced by every replica: nobody consuming it is a real alarm.
        QVERIFY(!retirement.judge(QStringLiteral("shared"), -1, std::nullopt, kT0 + 60000).has_value());
        QVERIFY(!retirement.judge(QStringLiteral("nobody's"), -1, std::nullopt, kT0 + 60000).has_value());
    }

    void aLiveOwnerOrMemberBringsAGroupBack()
    {
        KafkaGroupRetirement retirement(kSessionMs);
        const QString group = QStringLiteral("g");
        retirement.setOwners({ { group, QStringLiteral("node-5"), true, at(kT0) } });
        QCOMPARE(
            statusOf(retirement.judge(group, -1, std::nullopt, kT0 + 2 * kSessionMs)), BurrowStatus::Retired);
        retirement.setOwners({ { group, QStringLiteral("node-5"), false, at(kT0 + 3 * kSessionMs) } });
        QVERIFY(!retirement.judge(group, -1, std::nullopt, kT0 + 3 * kSessionMs).has_value());
    }
};

SB_TEST_GUILESS_MAIN(TestKafkaGroupRetirement)
#include "tst_kafkagroupretirement.moc"
