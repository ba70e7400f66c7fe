// ManagedChild's stop: SIGTERM, then SIGKILL after the grace, of the run it was asked for,
// never of the run started again after it exited (the demo's drain-and-restart had its new
// replica killed ~10 s after it was ready again, and the console rightly showed it down).
#include "app/ManagedChild.h"
#include "support/TestMain.h"

#include <QSignalSpy>
#include <QTest>

using sb::app::ManagedChild;

namespace {
// A shell that says it is ready and then sleeps; `ignoreTerm`: it survives SIGTERM.
ManagedChild *sleeper(bool ignoreTerm, QObject *parent)
{
    const QString script = QStringLiteral("%1echo ready; sleep 30 & wait")
                               .arg(ignoreTerm ? QStringLiteral("trap '' TERM; ") : QString());
    return new ManagedChild(QStringLiteral("sleeper"), QStringLiteral("/bin/sh"),
        { QStringLiteral("-c"), script }, QRegularExpression(QStringLiteral("^ready")), parent);
}
} // namespace

class TestManagedChild : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void graceKillsAChildThatIgnoresTerm()
    {
        ManagedChild *child = sleeper(true, this);
        QSignalSpy ready(child, &ManagedChild::ready);
        QSignalSpy exited(child, &ManagedChild::exited);
        child->start(10000);
        QTRY_COMPARE_WITH_TIMEOUT(ready.size(), 1, 10000);
        child->stop(300);
        QTRY_COMPARE_WITH_TIMEOUT(exited.size(), 1, 10000);
        QVERIFY2(child->lastExit().contains(QStringLiteral("signal 9")), qPrintable(child->lastExit()));
    }

    // A child that aborts says why on its way out (glibc, std::terminate, qFatal): the exit's
    // description carries those words, so the demo's effect log shows the cause, not only
    // "signal 6" (a node's abort during a drain was once undiagnosable for want of them).
    void anAbortQuotesTheLastOutput()
    {
        auto *child = new ManagedChild(QStringLiteral("aborter"), QStringLiteral("/bin/sh"),
            { QStringLiteral("-c"),
                QStringLiteral("echo ready; echo early line; echo 'terminate called after throwing' >&2; "
                               "printf 'no newline'; kill -ABRT $$") },
            QRegularExpression(QStringLiteral("^ready")), this);
        QSignalSpy exited(child, &ManagedChild::exited);
        child->start(10000);
        QTRY_COMPARE_WITH_TIMEOUT(exited.size(), 1, 10000);
        const QString how = child->lastExit();
        QVERIFY2(
            how.startsWith(QStringLiteral("was killed by signal 6; its last output: ")), qPrintable(how));
        QVERIFY2(how.contains(QStringLiteral("terminate called after throwing")), qPrintable(how));
        QVERIFY2(how.endsWith(QStringLiteral("| no newline")), qPrintable(how));
    }

    void graceLeavesARunStartedAgainAlone()
    {
        ManagedChild *child = sleeper(false, this);
        QSignalSpy ready(child, &ManagedChild::ready);
        QSignalSpy exited(child, &ManagedChild::exited);
        child->start(10000);
        QTRY_COMPARE_WITH_TIMEOUT(ready.size(), 1, 10000);
        child->stop(1500); // it ends on SIGTERM at once
        QTRY_COMPARE_WITH_TIMEOUT(exited.size(), 1, 10000);
        child->restart(10000);
        QTRY_COMPARE_WITH_TIMEOUT(ready.size(), 2, 10000);
        const qint64 pid = child->pid();
        // Past the first stop's grace: the new run is still there.
        QTest::qWait(2500);
        QCOMPARE(exited.size(), 1);
        QVERIFY(child->isRunning());
        QCOMPARE(child->pid(), pid);
        child->kill();
    }
};

SB_TEST_GUILESS_MAIN(TestManagedChild)
#include "tst_managedchild.moc"
