// `switchboard --demo-script FILE --snapshot DIR` offscreen (issue 13): the faults of the
// script run on the embedded demo through the same actions as `switchboard fault`, and
// state.json shows their effects — node-2 killed and down, node-1 drained and ready again,
// Redis restarted with every running replica ready, poison records in the DLT, a client
// that stops reading dropped by its replica, a user's sessions closed on every replica by
// revoke — and each step in `events` with the effect it watched for, once it has all settled
// (--snapshot-settled). A bad script is a one-line usage error.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

namespace {
void useOwnConfigOffscreen(QProcess &process, const QString &configHome)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), configHome);
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    process.setProcessEnvironment(env);
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

QJsonObject eventFor(const QJsonArray &events, const QString &action)
{
    for (const QJsonValue &event : events)
        if (event.toObject().value(QStringLiteral("action")).toString() == action)
            return event.toObject();
    return {};
}

QString effectOf(const QJsonObject &event)
{
    return event.value(QStringLiteral("effect")).toVariant().toStringList().join(QStringLiteral(" | "));
}

QString replicaState(const QJsonObject &state, const QString &id)
{
    const QJsonArray replicas
        = state.value(QStringLiteral("replicas")).toObject().value(QStringLiteral("replicaStates")).toArray();
    for (const QJsonValue &replica : replicas)
        if (replica.toObject().value(QStringLiteral("id")).toString() == id)
            return replica.toObject().value(QStringLiteral("state")).toString();
    return {};
}
// The alerts of state.json's `alerts` section for `rule` whose subject starts with
// `subject`: the active ones first, then the cleared ones (`recent`), each with `clearedAt`.
QList<QJsonObject> alertsFor(const QJsonObject &state, const QString &rule, const QString &subject)
{
    QList<QJsonObject> found;
    const QJsonObject alerts = state.value(QStringLiteral("alerts")).toObject();
    for (const char *list : { "active", "recent" })
        for (const QJsonValue &alert : alerts.value(QLatin1String(list)).toArray())
            if (alert.toObject().value(QStringLiteral("rule")).toString() == rule
                && alert.toObject().value(QStringLiteral("subject")).toString().startsWith(subject))
                found << alert.toObject();
    return found;
}

// An ISO time of state.json (an alert's since/raisedAt/clearedAt, an event's time) in ms.
qint64 msOf(const QJsonObject &object, const QString &key)
{
    const QDateTime at = QDateTime::fromString(object.value(key).toString(), Qt::ISODateWithMs);
    return at.isValid() ? at.toMSecsSinceEpoch() : -1;
}

QString alertsText(const QJsonObject &state)
{
    return QString::fromUtf8(
        QJsonDocument(state.value(QStringLiteral("alerts")).toObject()).toJson(QJsonDocument::Compact));
}

// The Kafka area's row for consumer group `group` in state.json.
QJsonObject kafkaGroupRow(const QJsonObject &state, const QString &group)
{
    for (const QJsonValue &row :
        state.value(QStringLiteral("kafka")).toObject().value(QStringLiteral("rows")).toArray())
        if (row.toObject().value(QStringLiteral("Group")).toString() == group)
            return row.toObject();
    return {};
}

// The killed replica's users back on the others: the Replicas area's total connections
// within 10 % of the simulated users who are not logged out (every one was connected before
// the fault: the population counts them), none on `down`.
void verifyUsersBackElsewhere(const QJsonObject &state, const QString &down)
{
    const QJsonObject population = state.value(QStringLiteral("population")).toObject();
    const int expected = population.value(QStringLiteral("users")).toInt()
        - population.value(QStringLiteral("loggedOut")).toInt();
    const int total = state.value(QStringLiteral("replicas"))
                          .toObject()
                          .value(QStringLiteral("figures"))
                          .toObject()
                          .value(QStringLiteral("totalConnections"))
                          .toInt();
    const QString figures = QString::fromUtf8(QJsonDocument(
        state.value(QStringLiteral("replicas")).toObject().value(QStringLiteral("figures")).toObject())
                                                  .toJson(QJsonDocument::Compact));
    QVERIFY2(expected >= 50 && total >= expected * 9 / 10 && total <= expected * 11 / 10,
        qPrintable(QStringLiteral("%1 connections for %2 users: %3").arg(total).arg(expected).arg(figures)));
    const QJsonArray replicas
        = state.value(QStringLiteral("replicas")).toObject().value(QStringLiteral("replicaStates")).toArray();
    for (const QJsonValue &replica : replicas)
        if (replica.toObject().value(QStringLiteral("id")).toString() == down)
            QCOMPARE(replica.toObject().value(QStringLiteral("connections")).toInt(), 0);
}

// A revoke event's effect, as its watch saw it in the replicas' records: observed, with
// every session `user` held before the event closed (the count it read before) and the
// tokens revoked; returns how many sessions it closed (0: the user had none open).
int verifyRevoked(const QJsonObject &event, const QString &user)
{
    const QString effect = effectOf(event);
    const QRegularExpressionMatch before
        = QRegularExpression(QStringLiteral("before: (\\d+) live session\\(s\\) of %1\\b").arg(user))
              .match(effect);
    const QRegularExpressionMatch closed = QRegularExpression(
        QStringLiteral("(\\d+) session\\(s\\) of %1 closed \\(node-\\d: \\d+.*\\); \\d+ token\\(s\\) revoked")
            .arg(user))
                                               .match(effect);
    const bool none = before.hasMatch() && before.captured(1) == u"0"
        && effect.contains(QStringLiteral("no live session of %1 to close; ").arg(user));
    const bool all = before.hasMatch() && closed.hasMatch() && closed.captured(1) == before.captured(1);
    if (event.value(QStringLiteral("effectState")).toString() != u"observed" || !(none || all)) {
        QTest::qFail(qPrintable(QStringLiteral("revoke %1: %2").arg(user, effect)), __FILE__, __LINE__);
        return 0;
    }
    return none ? 0 : closed.captured(1).toInt();
}

// Runs the console's demo offscreen with `script` (a --demo-script) and a snapshot once it
// has settled, 90 s at the latest; `state` gets its state.json, which must say settled and
// hold `events` events, each observed (those of the actions in `mayGoUnobserved`: each
// ended, observed or not).
void runSettled(
    const QByteArray &script, int events, QJsonObject *state, const QStringList &mayGoUnobserved = {})
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("script.json"));
    QVERIFY(writeFile(path, script));
    const QString out = dir.filePath(QStringLiteral("snapshot"));
    QProcess process;
    useOwnConfigOffscreen(process, dir.filePath(QStringLiteral("config")));
    process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process.start(qEnvironmentVariable("SB_BINARY"),
        { QStringLiteral("--demo-script"), path, QStringLiteral("--snapshot"), out,
            QStringLiteral("--snapshot-settled"), QStringLiteral("--snapshot-after"), QStringLiteral("90") });
    QVERIFY(process.waitForFinished(120000));
    QCOMPARE(process.exitCode(), 0);
    QFile file(out + QStringLiteral("/state.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    *state = QJsonDocument::fromJson(file.readAll()).object();
    QVERIFY2(state->value(QStringLiteral("settled")).toBool(),
        qPrintable(
            state->value(QStringLiteral("unsettled")).toVariant().toStringList().join(QStringLiteral("; "))));
    const QJsonArray all = state->value(QStringLiteral("events")).toArray();
    QCOMPARE(all.size(), events);
    for (const QJsonValue &event : all) {
        const QString effectState = event.toObject().value(QStringLiteral("effectState")).toString();
        const bool either
            = mayGoUnobserved.contains(event.toObject().value(QStringLiteral("action")).toString());
        QVERIFY2(effectState == u"observed" || (either && effectState == u"not observed"),
            QJsonDocument(event.toObject()).toJson(QJsonDocument::Compact).constData());
    }
}
} // namespace

class TestDemoScript : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY2(!qEnvironmentVariableIsEmpty("SB_BINARY"), "SB_BINARY not set"); }

    void badScriptIsAUsageError()
    {
        QTemporaryDir dir;
        const QString script = dir.filePath(QStringLiteral("bad.json"));
        QVERIFY(writeFile(script,
            R"([{"at": 1, "action": "kill", "args": {"replica": "node-2"}}, {"at": 2, "action": "explode"}])"));
        QProcess process;
        useOwnConfigOffscreen(process, dir.path());
        process.start(qEnvironmentVariable("SB_BINARY"), { QStringLiteral("--demo-script"), script });
        QVERIFY(process.waitForFinished(20000));
        QCOMPARE(process.exitCode(), 2);
        const QString err = QString::fromUtf8(process.readAllStandardError());
        QVERIFY2(err.contains(QStringLiteral("step 2: unknown fault action 'explode'")), qPrintable(err));
        QCOMPARE(err.count(u'\n'), 1);
    }

    void faultsShowInTheSnapshot()
    {
        // At 1 s after the demo is ready; the snapshot once the console has settled (the
        // drained replica back and ready, node-2 down, every watch ended): under ASan on a
        // loaded runner the drained replica took longer than a fixed 22 s.
        QJsonObject state;
        runSettled(R"([
            {"at": 1, "action": "kill", "args": {"replica": "node-2", "stayDown": true}},
            {"at": 1, "action": "poison", "args": {"count": 2}},
            {"at": 1, "action": "restart-redis"},
            {"at": 1, "action": "drain", "args": {"replica": "node-1", "restartAfter": 1}}
        ])",
            4, &state);
        if (QTest::currentTestFailed())
            return;
        const QJsonArray events = state.value(QStringLiteral("events")).toArray();

        const QJsonObject kill = eventFor(events, QStringLiteral("kill"));
        QVERIFY2(effectOf(kill).contains(QStringLiteral("node-2 was killed by signal 9")),
            qPrintable(effectOf(kill)));
        QVERIFY2(
            effectOf(kill).contains(QStringLiteral("/healthz/live refused")), qPrintable(effectOf(kill)));
        QCOMPARE(replicaState(state, QStringLiteral("node-2")), QStringLiteral("down"));
        verifyUsersBackElsewhere(state, QStringLiteral("node-2"));
        // Raised 5 s into the fault (raiseAfterSeconds), still active: node-2 stays down.
        const QList<QJsonObject> node2Down
            = alertsFor(state, QStringLiteral("replica-down"), QStringLiteral("node-2"));
        QVERIFY2(node2Down.size() == 1 && !node2Down.first().contains(QStringLiteral("clearedAt"))
                && node2Down.first().value(QStringLiteral("severity")).toString() == u"critical",
            qPrintable(alertsText(state)));
        // node-1 drained and left on purpose: down for seconds, and no alert for it.
        QVERIFY2(alertsFor(state, QStringLiteral("replica-down"), QStringLiteral("node-1")).isEmpty()
                && alertsFor(state, QStringLiteral("replica-down"), QStringLiteral("node-3")).isEmpty(),
            qPrintable(alertsText(state)));

        const QJsonObject drain = eventFor(events, QStringLiteral("drain"));
        QVERIFY2(effectOf(drain).contains(QStringLiteral("/healthz/ready 503: draining")),
            qPrintable(effectOf(drain)));
        QVERIFY2(effectOf(drain).contains(QStringLiteral("node-1 exited with code 0")),
            qPrintable(effectOf(drain)));
        QVERIFY2(effectOf(drain).contains(QStringLiteral("node-1 ready at")), qPrintable(effectOf(drain)));
        QCOMPARE(replicaState(state, QStringLiteral("node-1")), QStringLiteral("ready"));

        const QJsonObject redis = eventFor(events, QStringLiteral("restart-redis"));
        QVERIFY2(effectOf(redis).contains(QStringLiteral("redis-server was killed by signal 9")),
            qPrintable(effectOf(redis)));
        QVERIFY2(effectOf(redis).contains(QStringLiteral("every running replica ready again")),
            qPrintable(effectOf(redis)));

        const QJsonObject poison = eventFor(events, QStringLiteral("poison"));
        const QRegularExpressionMatch grew
            = QRegularExpression(QStringLiteral("the DLT grew by (\\d+)")).match(effectOf(poison));
        QVERIFY2(grew.hasMatch() && grew.captured(1).toInt() >= 2, qPrintable(effectOf(poison)));
        // The DLT's growth raises dead-letters, which holds for the 60 s counter window.
        const QList<QJsonObject> deadLetters = alertsFor(
            state, QStringLiteral("dead-letters"), QStringLiteral("switchboard.MessageCreatedEvent.DLT"));
        const QRegularExpressionMatch added
            = QRegularExpression(QStringLiteral("^\\+(\\d+) dead-lettered"))
                  .match(deadLetters.value(0).value(QStringLiteral("figure")).toString());
        QVERIFY2(deadLetters.size() == 1 && added.hasMatch() && added.captured(1).toInt() >= 2,
            qPrintable(alertsText(state)));
        // The DLT's count in the Kafka area's topics: the poison records at least, and no fewer
        // than the alert's figure counted in all.
        const QRegularExpressionMatch inAll
            = QRegularExpression(QStringLiteral("\\((\\d+) in all\\)$"))
                  .match(deadLetters.value(0).value(QStringLiteral("figure")).toString());
        int inTopic = -1;
        for (const QJsonValue &row :
            state.value(QStringLiteral("kafka")).toObject().value(QStringLiteral("topics")).toArray())
            if (row.toObject().value(QStringLiteral("Topic")).toString()
                == u"switchboard.MessageCreatedEvent.DLT")
                inTopic = row.toObject().value(QStringLiteral("Messages")).toString().toInt();
        QVERIFY2(
            inAll.hasMatch() && inTopic >= grew.captured(1).toInt() && inTopic >= inAll.captured(1).toInt(),
            qPrintable(QStringLiteral("%1 in the DLT's row; %2").arg(inTopic).arg(alertsText(state))));
        // node-2's per-boot broadcast group: nobody consumes it once node-2 is killed (DOWN,
        // critical) until its session has timed out (RETIRED, which clears it).
        QVERIFY2(!alertsFor(
                     state, QStringLiteral("consumer-group"), QStringLiteral("switchboard-broadcast-node-2-"))
                      .isEmpty(),
            qPrintable(alertsText(state)));
    }

    // The other actions a demo script takes: a replica kept down then started, a burst whose
    // rise and fall the replicas' own counters show, a user's sessions revoked, the stage-1
    // group paused (on the two replicas running then) and resumed. The pause lasts 14 s:
    // Burrow's STOP shows in the Kafka area 3-7 s in (once the commits have been quiet
    // longer than its window spans, read every 2 s), and must hold 5 s to raise the alert.
    void startBurstAndRevokeShowInTheSnapshot()
    {
        QJsonObject state;
        runSettled(R"([
            {"at": 1, "action": "kill", "args": {"replica": "node-3", "stayDown": true}},
            {"at": 3, "action": "revoke", "args": {"user": "ada"}},
            {"at": 9, "action": "burst", "args": {"factor": 10, "seconds": 3}},
            {"at": 1, "action": "pause-stage1"},
            {"at": 15, "action": "resume-stage1"},
            {"at": 4, "action": "start", "args": {"replica": "node-3"}}
        ])",
            6, &state);
        if (QTest::currentTestFailed())
            return;
        const QJsonArray events = state.value(QStringLiteral("events")).toArray();

        // The stage-1 group's lag, read from Kafka (end − committed): up while paused, back after.
        const QString paused = effectOf(eventFor(events, QStringLiteral("pause-stage1")));
        // node-3, killed in the same second, may still count as running and refuse.
        const QRegularExpressionMatch pausedOn
            = QRegularExpression(QStringLiteral("(\\d+) of \\d+ replica\\(s\\) paused")).match(paused);
        QVERIFY2(pausedOn.hasMatch() && pausedOn.captured(1).toInt() == 2
                && paused.contains(QStringLiteral("lag grew to")),
            qPrintable(paused));
        const QString resumed = effectOf(eventFor(events, QStringLiteral("resume-stage1")));
        QVERIFY2(
            resumed.contains(QStringLiteral("resumed")) && resumed.contains(QStringLiteral("lag back to")),
            qPrintable(resumed));
        // Burrow's status of the group, as the Kafka area judges it: no commit on the paused
        // replicas' partitions for longer than the window spans is STOP (the group ERR), or
        // WARN on a partition node-3 consumes too slowly; held long enough to raise the
        // consumer-group alert; OK again once resumed.
        const QString burrow
            = QStringLiteral("Burrow status of switchboard-notifications in the Kafka area ");
        QVERIFY2(
            QRegularExpression(QRegularExpression::escape(burrow) + QStringLiteral("left OK: (WARN|ERR) "))
                .match(paused)
                .hasMatch(),
            qPrintable(paused));
        QVERIFY2(resumed.contains(burrow + QStringLiteral("back to OK")), qPrintable(resumed));
        const QList<QJsonObject> groupAlerts
            = alertsFor(state, QStringLiteral("consumer-group"), QStringLiteral("switchboard-notifications"));
        // The figure names the worst partition's status: "STOP, lag 503" (critical) where the
        // paused replicas held their partitions; "WARN, lag 272" (warning) where node-3,
        // started unpaused at 4 s, took one over and consumed slower than the burst came.
        QVERIFY2(!groupAlerts.isEmpty()
                && QRegularExpression(QStringLiteral("^(WARN|STOP|STALL), lag \\d+$"))
                       .match(groupAlerts.first().value(QStringLiteral("figure")).toString())
                       .hasMatch(),
            qPrintable(alertsText(state)));
        // Raised and cleared, with its figure and times: raised once STOP/WARN had held for
        // raiseAfterSeconds after the pause, cleared once OK had held for clearAfterSeconds
        // after the resume. The settled snapshot waits for that clear (AlertEngine's
        // pendingClears): without it the snapshot came as the group read OK, the alert active.
        const QJsonObject thresholds
            = state.value(QStringLiteral("alerts")).toObject().value(QStringLiteral("thresholds")).toObject();
        const qint64 raiseHoldMs = thresholds.value(QStringLiteral("raiseAfterSeconds")).toInt() * 1000;
        const qint64 clearHoldMs = thresholds.value(QStringLiteral("clearAfterSeconds")).toInt() * 1000;
        QJsonObject cleared; // the latest cleared: the active come first, then the cleared, newest first
        for (const QJsonObject &alert : groupAlerts)
            if (cleared.isEmpty() && alert.contains(QStringLiteral("clearedAt")))
                cleared = alert;
        const qint64 pausedAt
            = msOf(eventFor(events, QStringLiteral("pause-stage1")), QStringLiteral("time"));
        const qint64 resumedAt
            = msOf(eventFor(events, QStringLiteral("resume-stage1")), QStringLiteral("time"));
        const qint64 since = msOf(cleared, QStringLiteral("since"));
        const qint64 raisedAt = msOf(cleared, QStringLiteral("raisedAt"));
        const qint64 clearedAt = msOf(cleared, QStringLiteral("clearedAt"));
        QVERIFY2(raiseHoldMs >= 1000 && clearHoldMs >= 1000 && pausedAt > 0 && resumedAt > pausedAt,
            qPrintable(alertsText(state)));
        QVERIFY2(clearedAt > 0 && since >= pausedAt && raisedAt - since >= raiseHoldMs
                && clearedAt - raisedAt >= clearHoldMs && clearedAt - resumedAt >= clearHoldMs,
            qPrintable(alertsText(state)));
        QVERIFY2(groupAlerts.constFirst().contains(QStringLiteral("clearedAt")),
            qPrintable(alertsText(state))); // none left active
        QCOMPARE(cleared.value(QStringLiteral("severity")).toString(),
            cleared.value(QStringLiteral("figure")).toString().startsWith(u"WARN")
                ? QStringLiteral("warning")
                : QStringLiteral("critical"));
        // The paused group's lag and status in the Kafka area at the snapshot: caught up, OK.
        QVERIFY2(kafkaGroupRow(state, QStringLiteral("switchboard-notifications"))
                     .value(QStringLiteral("Status"))
                     .toString()
                     .startsWith(u"OK"),
            QJsonDocument(kafkaGroupRow(state, QStringLiteral("switchboard-notifications")))
                .toJson(QJsonDocument::Compact)
                .constData());

        QVERIFY2(
            effectOf(eventFor(events, QStringLiteral("kill"))).contains(QStringLiteral("down, as asked")),
            qPrintable(effectOf(eventFor(events, QStringLiteral("kill")))));
        QVERIFY2(effectOf(eventFor(events, QStringLiteral("start"))).contains(QStringLiteral("ready")),
            qPrintable(effectOf(eventFor(events, QStringLiteral("start")))));
        QCOMPARE(replicaState(state, QStringLiteral("node-3")), QStringLiteral("ready"));

        // Observed means the rate during the burst was at least twice the rate before it. The
        // burst comes once node-3 is back: under ASan, a burst while a third of the users
        // were moving off the killed replica sent no more than before (25 vs 49 msg/s).
        const QString burst = effectOf(eventFor(events, QStringLiteral("burst")));
        const QRegularExpressionMatch rates = QRegularExpression(
            QStringLiteral("(\\d+) msg/s during the burst \\(x10 asked\\), (\\d+) msg/s before it"))
                                                  .match(burst);
        QVERIFY2(rates.hasMatch(), qPrintable(burst));
        QVERIFY2(rates.captured(1).toInt() >= 2 * qMax(1, rates.captured(2).toInt()), qPrintable(burst));

        // At 3 s ada may not be connected yet, or still on node-3, killed: what ada held,
        // whatever it was, is gone.
        verifyRevoked(eventFor(events, QStringLiteral("revoke")), QStringLiteral("ada"));
    }

    // A client on node-2 that stops reading: the demo's replicas bound each connection's
    // kernel send buffer (--limit-socket-send-buffer-bytes 16 KiB), so node-2's own outbound
    // limits see its backlog and drop it within seconds of a short burst; autotuned, the
    // kernel took megabytes for it first and it went undropped for minutes. At 6 s: under
    // ASan no simulated user was connected at 2 s to lend the client a token.
    void slowConsumerShowsInTheSnapshot()
    {
        QJsonObject state;
        // Two users' sessions revoked at 5 s, on replicas up since the launch (a replica's
        // feed of RoleUpdatedEvents reads from the latest offset once it has joined): once
        // the users have connected, before the slow client borrows a token at 6 s (never a
        // revoked one: a revoked user is not connected until it has logged in again).
        runSettled(R"([
            {"at": 6, "action": "slow-consumer", "args": {"replica": "node-2"}},
            {"at": 7, "action": "burst", "args": {"factor": 10, "seconds": 4}},
            {"at": 5, "action": "revoke", "args": {"user": "ada"}},
            {"at": 5, "action": "revoke", "args": {"user": "grace"}}
        ])",
            4, &state, { QStringLiteral("burst") }); // its rise is startBurstAndRevoke's to check
        if (QTest::currentTestFailed())
            return;
        // Each watched its user's sessions close and tokens go (runSettled: observed), and at
        // least one of the two had a session to close: both away at 5 s (each user is churned
        // away for 2-6 s about every 6 minutes) would be a one-in-thousands coincidence.
        int closed = 0;
        for (const QJsonValue &event : state.value(QStringLiteral("events")).toArray())
            if (event.toObject().value(QStringLiteral("action")).toString() == u"revoke")
                closed += verifyRevoked(event.toObject(),
                    event.toObject()
                        .value(QStringLiteral("args"))
                        .toObject()
                        .value(QStringLiteral("user"))
                        .toString());
        QVERIFY2(closed >= 1,
            QJsonDocument(state.value(QStringLiteral("events")).toArray())
                .toJson(QJsonDocument::Compact)
                .constData());
        const QString slow = effectOf(
            eventFor(state.value(QStringLiteral("events")).toArray(), QStringLiteral("slow-consumer")));
        const QRegularExpressionMatch dropped
            = QRegularExpression(QStringLiteral("node-2 dropped a slow consumer after (\\d+) s")).match(slow);
        // 21 s here on the 2-core machine (the burst fills node-2's 32 KiB, then the 10 s
        // age limit); 48 s with the demo's replicas at 64 KiB, unsettled after 90 s unbounded.
        QVERIFY2(dropped.hasMatch() && dropped.captured(1).toInt() <= 45, qPrintable(slow));
        QVERIFY2(
            slow.contains(QStringLiteral("sb_dropped_total{reason=\"slow_consumer\"}")), qPrintable(slow));
    }

    // The stage-2 bus switched to Redis pub/sub: a rolling restart, one replica at a time,
    // every replica ready on the new bus at the end. (The slow consumer's drop itself is
    // slowConsumerShowsInTheSnapshot's.)
    void busSwitchShowsInTheSnapshot()
    {
        QJsonObject state;
        // A slow client on node-3 (restarted last): dropped by it, or gone with it; either way
        // its watch ends, where it used to run its full 5 minutes and keep the demo unsettled.
        runSettled(R"([
            {"at": 2, "action": "bus", "args": {"bus": "redis"}},
            {"at": 8, "action": "slow-consumer", "args": {"replica": "node-3"}}
        ])",
            2, &state, { QStringLiteral("slow-consumer") });
        if (QTest::currentTestFailed())
            return;
        const QString bus
            = effectOf(eventFor(state.value(QStringLiteral("events")).toArray(), QStringLiteral("bus")));
        QVERIFY2(bus.contains(QStringLiteral("every replica restarted on redis")), qPrintable(bus));
        qsizetype last = -1; // one at a time: each replica's exit after the one before was ready
        int caughtUp = 0;
        for (const char *replica : { "node-1", "node-2", "node-3" }) {
            const qsizetype exited
                = bus.indexOf(QLatin1String(replica) + QStringLiteral(" exited with code 0"));
            const qsizetype ready = bus.indexOf(QLatin1String(replica) + QStringLiteral(" ready at"));
            QVERIFY2(exited > last && ready > exited, qPrintable(bus));
            last = ready;
            // Then what its stage 2 missed on the new bus, from its own /metrics: on Redis
            // pub/sub, what its catch-up from stage 1 delivered.
            const QRegularExpressionMatch caught = QRegularExpression(QLatin1String(replica)
                + QStringLiteral(" \\(redis bus\\): subscribed again, caught up (\\d+) from stage 1 in "
                                 "\\d+ catch-up round\\(s\\)"))
                                                       .match(bus);
            QVERIFY2(caught.hasMatch(), qPrintable(bus));
            caughtUp += caught.captured(1).toInt();
            QCOMPARE(replicaState(state, QLatin1String(replica)), QStringLiteral("ready"));
        }
        // A non-zero "caught up N": a replica started on the Redis bus reads from stage 1 what
        // was relayed between the stage-1 group's last commit before it subscribed and the
        // partitions' ends after (KafkaBroadcastCatchUp); with the demo's 20 msg/s flowing, at
        // least one of the three had some (9-10 each in a run on the 2-core machine). The
        // count is the replicas' own counter, so a watch that read the wrong one shows 0.
        QVERIFY2(caughtUp > 0, qPrintable(bus));
        // On Redis pub/sub a replica announces its stage-1 group only: no per-boot Kafka
        // broadcast group is left among the groups the replicas announce.
        QStringList announced;
        for (const QJsonValue &row :
            state.value(QStringLiteral("kafka")).toObject().value(QStringLiteral("rows")).toArray())
            if (row.toObject().value(QStringLiteral("Found by")).toString() == u"registry")
                announced << row.toObject().value(QStringLiteral("Group")).toString();
        QCOMPARE(announced, QStringList { QStringLiteral("switchboard-notifications") });
    }
};

QTEST_MAIN(TestDemoScript)
#include "tst_demoscript.moc"
