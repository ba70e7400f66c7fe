// ChannelPolicy: who may subscribe, send and publish where, in the words the wire contract
// gives (docs/protocol.md, "Destinations and authorisation"), for the destinations clients
// should send and for hostile ones: paths that climb, other users' queues, look-alike
// letters and digits, control characters, ids one character too long.

#include "node/ChannelPolicy.h"
#include "node/PasswordHasher.h"
#include "node/UserDirectory.h"
#include "support/TestMain.h"

#include <QTest>

using sb::node::AuthenticatedUser;
using sb::node::ChannelPolicy;
using sb::node::Destination;
using sb::node::UserDirectory;
using Outcome = ChannelPolicy::Verdict::Outcome;

Q_DECLARE_METATYPE(ChannelPolicy::Verdict::Outcome)

namespace {

// alice, bob, carol: ROLE_USER, general for all, ops for alice and bob; admin: ROLE_ADMIN.
const UserDirectory &demoUsers()
{
    static const UserDirectory users = [] {
        UserDirectory directory;
        directory.addDemoUsers();
        return directory;
    }();
    return users;
}

AuthenticatedUser user(const QString &name)
{
    AuthenticatedUser caller;
    caller.name = name;
    caller.roles = { name == u"admin" ? QStringLiteral("ROLE_ADMIN") : QStringLiteral("ROLE_USER") };
    return caller;
}

const QString kOwnQueue = QStringLiteral("/user/ destinations resolve to your own queue: subscribe to "
                                         "/user/queue/notifications");

} // namespace

class TestChannelPolicy : public QObject
{
    Q_OBJECT
private slots:
    void subscribe_data()
    {
        QTest::addColumn<QString>("caller");
        QTest::addColumn<QString>("destination");
        QTest::addColumn<Outcome>("outcome");
        QTest::addColumn<QString>("message");
        const QString unknown = QStringLiteral("unknown destination '%1'");
        const QString notMember = QStringLiteral("not a member of channel '%1'");
        auto row = [](const char *name, QStringView caller, QStringView destination, Outcome outcome,
                       QStringView message) {
            QTest::newRow(name) << caller.toString() << destination.toString() << outcome
                                << message.toString();
        };
        row("member", u"alice", u"/topic/channels.general", Outcome::Allowed, {});
        row("not a member", u"carol", u"/topic/channels.ops", Outcome::Forbidden, notMember.arg(u"ops"));
        row("unknown user", u"mallory", u"/topic/channels.general", Outcome::Forbidden,
            notMember.arg(u"general"));
        row("own queue", u"carol", u"/user/queue/notifications", Outcome::Allowed, {});
        row("presence", u"carol", u"/topic/presence", Outcome::Allowed, {});
        // /user/ resolves only to the caller: naming anyone, even oneself, is refused.
        row("another's queue", u"carol", u"/user/alice/queue/notifications", Outcome::Forbidden, kOwnQueue);
        row("own name", u"carol", u"/user/carol/queue/notifications", Outcome::Forbidden, kOwnQueue);
        row("queue that climbs", u"carol", u"/user/queue/notifications/../../alice", Outcome::Forbidden,
            kOwnQueue);
        row("bare /user/", u"carol", u"/user/", Outcome::Forbidden, kOwnQueue);
        row("admin for a user", u"alice", u"/admin/tap", Outcome::Forbidden,
            QStringLiteral("/admin/tap needs ROLE_ADMIN"));
        row("bare /admin", u"alice", u"/admin", Outcome::Forbidden,
            QStringLiteral("/admin needs ROLE_ADMIN"));
        row("admin for an admin", u"admin", u"/admin/tap", Outcome::UnknownDestination,
            unknown.arg(u"/admin/tap"));
        // A channel id is 1-64 of A-Z a-z 0-9 - _, nothing else, so nothing can climb out of it.
        const QString climbs = QStringLiteral("/topic/channels.ops/../general");
        row("channel that climbs", u"carol", climbs, Outcome::UnknownDestination, unknown.arg(climbs));
        row("empty channel", u"alice", u"/topic/channels.", Outcome::UnknownDestination,
            unknown.arg(u"/topic/channels."));
        const QString accented = QStringLiteral("/topic/channels.g\u00e9n\u00e9ral");
        row("accented letters", u"alice", accented, Outcome::UnknownDestination, unknown.arg(accented));
        const QString arabicDigit = QStringLiteral("/topic/channels.ops\u0663");
        row("non-ASCII digit", u"alice", arabicDigit, Outcome::UnknownDestination, unknown.arg(arabicDigit));
        const QString newline = QStringLiteral("/topic/channels.general\n");
        row("trailing newline", u"alice", newline, Outcome::UnknownDestination, unknown.arg(newline));
        const QString nul = QStringLiteral("/topic/channels.general") + QChar(0);
        row("NUL", u"alice", nul, Outcome::UnknownDestination, unknown.arg(nul));
        const QString tooLong = QStringLiteral("/topic/channels.") + QString(65, u'a');
        row("65-character id", u"alice", tooLong, Outcome::UnknownDestination, unknown.arg(tooLong));
        // 64 is allowed as an id: a channel nobody is a member of.
        const QString longest = QString(64, u'a');
        row("64-character id", u"alice", QString(QStringLiteral("/topic/channels.") + longest),
            Outcome::Forbidden, notMember.arg(longest));
        row("SEND's destination", u"alice", u"/app/channels.general", Outcome::UnknownDestination,
            unknown.arg(u"/app/channels.general"));
        row("upper case", u"alice", u"/TOPIC/channels.general", Outcome::UnknownDestination,
            unknown.arg(u"/TOPIC/channels.general"));
        row("presence suffix", u"alice", u"/topic/presence/x", Outcome::UnknownDestination,
            unknown.arg(u"/topic/presence/x"));
        row("empty", u"alice", u"", Outcome::UnknownDestination, unknown.arg(u""));
    }

    void subscribe()
    {
        QFETCH(QString, caller);
        QFETCH(QString, destination);
        QFETCH(Outcome, outcome);
        QFETCH(QString, message);
        const ChannelPolicy policy(&demoUsers());
        const ChannelPolicy::Verdict verdict = policy.subscribe(user(caller), destination);
        QCOMPARE(verdict.outcome, outcome);
        QCOMPARE(verdict.message, message);
        QCOMPARE(verdict.allowed(), outcome == Outcome::Allowed);
    }

    void allowedSubscriptionNamesItsChannel()
    {
        const ChannelPolicy policy(&demoUsers());
        const auto verdict
            = policy.subscribe(user(QStringLiteral("bob")), QStringLiteral("/topic/channels.ops"));
        QVERIFY(verdict.allowed());
        QCOMPARE(verdict.destination.channel, QStringLiteral("ops"));
    }

    void send_data()
    {
        QTest::addColumn<QString>("caller");
        QTest::addColumn<QString>("destination");
        QTest::addColumn<Outcome>("outcome");
        QTest::addColumn<QString>("message");
        const QString unknown = QStringLiteral("unknown destination '%1'");
        const QString sendToApp = QStringLiteral("clients SEND to /app/channels.{id}, not to %1");
        auto row = [](const char *name, QStringView caller, QStringView destination, Outcome outcome,
                       QStringView message) {
            QTest::newRow(name) << caller.toString() << destination.toString() << outcome
                                << message.toString();
        };
        row("member", u"alice", u"/app/channels.ops", Outcome::Allowed, {});
        row("not a member", u"carol", u"/app/channels.ops", Outcome::Forbidden,
            QStringLiteral("not a member of channel 'ops'"));
        row("to a topic", u"alice", u"/topic/channels.general", Outcome::Forbidden,
            sendToApp.arg(u"/topic/channels.general"));
        row("to presence", u"alice", u"/topic/presence", Outcome::Forbidden,
            sendToApp.arg(u"/topic/presence"));
        row("to own queue", u"alice", u"/user/queue/notifications", Outcome::Forbidden,
            sendToApp.arg(u"/user/queue/notifications"));
        row("to another's queue", u"alice", u"/user/bob/queue/notifications", Outcome::Forbidden,
            sendToApp.arg(u"/user/bob/queue/notifications"));
        row("admin destination", u"admin", u"/admin/x", Outcome::UnknownDestination,
            unknown.arg(u"/admin/x"));
        row("channel that climbs", u"alice", u"/app/channels.general/../ops", Outcome::UnknownDestination,
            unknown.arg(u"/app/channels.general/../ops"));
        row("empty channel", u"alice", u"/app/channels.", Outcome::UnknownDestination,
            unknown.arg(u"/app/channels."));
    }

    void send()
    {
        QFETCH(QString, caller);
        QFETCH(QString, destination);
        QFETCH(Outcome, outcome);
        QFETCH(QString, message);
        const ChannelPolicy policy(&demoUsers());
        const ChannelPolicy::Verdict verdict = policy.send(user(caller), destination);
        QCOMPARE(verdict.outcome, outcome);
        QCOMPARE(verdict.message, message);
    }

    void publishIsTheSameRuleAsSend_data()
    {
        QTest::addColumn<QString>("caller");
        QTest::addColumn<QString>("channel");
        QTest::addColumn<Outcome>("outcome");
        QTest::addColumn<QString>("message");
        const QString notAnId
            = QStringLiteral("'%1' is not a channel id (letters, digits, - and _, at most 64)");
        QTest::newRow("member") << QStringLiteral("bob") << QStringLiteral("ops") << Outcome::Allowed
                                << QString();
        QTest::newRow("not a member")
            << QStringLiteral("carol") << QStringLiteral("ops") << Outcome::Forbidden
            << QStringLiteral("not a member of channel 'ops'");
        QTest::newRow("climbs") << QStringLiteral("alice") << QStringLiteral("../ops")
                                << Outcome::UnknownDestination << notAnId.arg(u"../ops");
        QTest::newRow("empty") << QStringLiteral("alice") << QString() << Outcome::UnknownDestination
                               << notAnId.arg(u"");
    }

    void publishIsTheSameRuleAsSend()
    {
        QFETCH(QString, caller);
        QFETCH(QString, channel);
        QFETCH(Outcome, outcome);
        QFETCH(QString, message);
        const ChannelPolicy policy(&demoUsers());
        const ChannelPolicy::Verdict verdict = policy.publish(user(caller), channel);
        QCOMPARE(verdict.outcome, outcome);
        QCOMPARE(verdict.message, message);
        if (Destination::isValidChannelId(channel)) // STOMP and HTTP agree, word for word
            QCOMPARE(policy.send(user(caller), QStringLiteral("/app/channels.") + channel).message, message);
    }

    void adminIsTheTokensRole()
    {
        QVERIFY(
            ChannelPolicy::admin(user(QStringLiteral("admin")), QStringLiteral("this endpoint")).allowed());
        const auto refused
            = ChannelPolicy::admin(user(QStringLiteral("alice")), QStringLiteral("this endpoint"));
        QCOMPARE(refused.outcome, Outcome::Forbidden);
        QCOMPARE(refused.message, QStringLiteral("this endpoint needs ROLE_ADMIN"));
    }

    void channelsOfAUserAreTheDirectorys()
    {
        const ChannelPolicy policy(&demoUsers());
        QCOMPARE(policy.channelsOf(QStringLiteral("carol")), QStringList { QStringLiteral("general") });
        QVERIFY(policy.channelsOf(QStringLiteral("mallory")).isEmpty());
        QVERIFY(policy.isMember(QStringLiteral("alice"), QStringLiteral("ops")));
        QVERIFY(!policy.isMember(QStringLiteral("carol"), QStringLiteral("ops")));
    }

    // A channel's members come from the directory's index, sorted, each once: a channel
    // listed twice for a user, a user stored again (the demo users after a users file that
    // named them) and a user replaced with other channels all leave it as the users say.
    void membersOfAChannelAreItsUsersSorted()
    {
        UserDirectory users;
        QString error;
        const QString hash = sb::node::PasswordHasher::hash(QStringLiteral("pw"), 1000);
        QVERIFY2(users.addUser(
                     { QStringLiteral("zoe"), hash, { QStringLiteral("ROLE_USER") },
                         { QStringLiteral("general"), QStringLiteral("zed"), QStringLiteral("general") } },
                     &error),
            qPrintable(error));
        QVERIFY2(users.addUser({ QStringLiteral("alice"), hash, { QStringLiteral("ROLE_USER") },
                                   { QStringLiteral("zed") } },
                     &error),
            qPrintable(error));
        QCOMPARE(users.membersOf(QStringLiteral("general")), QStringList { QStringLiteral("zoe") });
        QCOMPARE(users.membersOf(QStringLiteral("zed")),
            (QStringList { QStringLiteral("alice"), QStringLiteral("zoe") }));
        QVERIFY(users.isMember(QStringLiteral("alice"), QStringLiteral("zed")));
        QVERIFY(!users.isMember(QStringLiteral("alice"), QStringLiteral("general")));
        QVERIFY(!users.isMember(QStringLiteral("mallory"), QStringLiteral("general")));
        QVERIFY(users.membersOf(QStringLiteral("nobody's")).isEmpty());
        QVERIFY(!users.addUser({ QStringLiteral("zoe"), hash, {}, {} }, &error)); // defined twice
        QCOMPARE(users.membersOf(QStringLiteral("general")), QStringList { QStringLiteral("zoe") });

        // The demo users replace this alice (general and ops, not zed), and come twice.
        users.addDemoUsers();
        users.addDemoUsers();
        QCOMPARE(users.membersOf(QStringLiteral("general")),
            (QStringList { QStringLiteral("admin"), QStringLiteral("alice"), QStringLiteral("bob"),
                QStringLiteral("carol"), QStringLiteral("zoe") }));
        QCOMPARE(users.membersOf(QStringLiteral("zed")), QStringList { QStringLiteral("zoe") });
        QCOMPARE(users.membersOf(QStringLiteral("ops")),
            (QStringList { QStringLiteral("admin"), QStringLiteral("alice"), QStringLiteral("bob") }));
        QVERIFY(!users.isMember(QStringLiteral("alice"), QStringLiteral("zed")));
    }
};

SB_TEST_GUILESS_MAIN(TestChannelPolicy)
#include "tst_channelpolicy.moc"
