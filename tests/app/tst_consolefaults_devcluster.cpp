// The console's Faults panel on a real `switchboard devcluster` (issue 13: "a Faults panel in
// the console, demo or any devcluster"): a ConsoleController attached to a saved profile that
// names the devcluster's Redis, Kafka and control URL (its ready line's "control"). The panel's
// replica chooser fills from the Replicas area; a kill asked through the panel's signal is
// done by the devcluster, its event (with the effect the devcluster watched) shows in the
// console's fault event log and in the snapshot's `events`, and the Replicas area sees the
// replica go down.
#include "app/ConsoleController.h"
#include "app/FaultEventLog.h"
#include "app/ReplicasAreaAssembly.h"
#include "models/ProfileStore.h"
#include "models/ReplicaModel.h"
#include "support/DevClusterProcess.h"
#include "support/TestMain.h"
#include "ui/FaultsPanel.h"
#include "ui/MainWindow.h"

#include <QAction>
#include <QJsonArray>
#include <QSettings>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>

#include <optional>

using namespace sb;
using namespace Qt::StringLiterals;

namespace {
QAction *faultAction(const ui::FaultsPanel &panel, const QString &text)
{
    for (QAction *action : panel.faultActions())
        if (action->text() == text)
            return action;
    return nullptr;
}

std::optional<inspect::ReplicaInfo::State> stateOf(const app::ConsoleController &console, const QString &id)
{
    if (!console.replicasArea())
        return std::nullopt;
    const models::ReplicaModel *model = console.replicasArea()->model();
    for (int row = 0; row < model->rowCount(); ++row)
        if (model->replica(row).id == id)
            return model->replica(row).state;
    return std::nullopt;
}
} // namespace

class TestConsoleFaultsDevCluster : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"switchboard-test"_s);
        QCoreApplication::setApplicationName(u"tst_consolefaults_devcluster"_s);
        QSettings().clear();
        QVERIFY2(!qEnvironmentVariableIsEmpty("SB_BINARY"),
            "run through ctest (SB_BINARY names the switchboard binary)");
    }

    void killThroughThePanelOnAnAttachedDevcluster()
    {
        testing::DevClusterProcess cluster;
        QVERIFY2(cluster.start({ u"--replicas"_s, u"2"_s }), qPrintable(cluster.errorString()));
        const QJsonObject endpoints = cluster.endpoints();
        models::Profile profile;
        profile.name = u"devcluster"_s;
        profile.redisUrl = endpoints.value(u"redis"_s).toString();
        profile.kafkaBootstrap = endpoints.value(u"kafka"_s).toString();
        profile.faultControlUrl = endpoints.value(u"control"_s).toString();
        models::ProfileStore store;
        QString error;
        QVERIFY2(store.save(profile, &error), qPrintable(error));

        app::ConsoleOptions options;
        options.profile = profile.name;
        app::ConsoleController console(options);
        QVERIFY2(console.start(&error), qPrintable(error));
        auto *panel = console.window()->findChild<ui::FaultsPanel *>();
        QVERIFY(panel);
        auto *log = qobject_cast<app::FaultEventLog *>(panel->table()->model());
        QVERIFY(log);

        // The replicas to choose from are the ones the Replicas area found in the registry.
        QTRY_VERIFY_WITH_TIMEOUT(stateOf(console, u"node-2"_s) == inspect::ReplicaInfo::State::Ready, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(faultAction(*panel, u"Kill"_s)->isEnabled(), 5000);
        QVERIFY2(panel->endpointState().startsWith(u"devcluster at "_s + profile.faultControlUrl),
            qPrintable(panel->endpointState()));

        emit panel->faultRequested(u"kill"_s, { { u"replica"_s, u"node-2"_s }, { u"stayDown"_s, true } });
        QTRY_VERIFY2_WITH_TIMEOUT(
            panel->outcome().contains(u"SIGKILL sent to node-2"_s), qPrintable(panel->outcome()), 10000);
        // The devcluster's event, as its own watch saw the kill, in the console's log.
        auto killEvent = [log]() -> const app::FaultEventLog::Event * {
            for (const app::FaultEventLog::Event &event : log->events())
                if (event.action == u"kill" && event.args.value(u"replica"_s).toString() == u"node-2")
                    return &event;
            return nullptr;
        };
        QTRY_VERIFY_WITH_TIMEOUT(killEvent(), 5000);
        QVERIFY(killEvent()->accepted);
        QTRY_VERIFY2_WITH_TIMEOUT(killEvent()->effectState == app::FaultEventLog::EffectState::Observed,
            qPrintable(killEvent()->effect.join(u" | "_s)), 15000);
        QVERIFY2(killEvent()->effect.join(u' ').contains(u"signal 9"_s),
            qPrintable(killEvent()->effect.join(u" | "_s)));
        // And the Replicas area sees it go.
        QTRY_VERIFY_WITH_TIMEOUT(stateOf(console, u"node-2"_s) == inspect::ReplicaInfo::State::Down, 15000);
        // state.json (and every recording sample) carries the devcluster's events.
        const QJsonArray events = console.window()->snapshotState().value(u"events"_s).toArray();
        QVERIFY(!events.isEmpty());
        QCOMPARE(events.last().toObject().value(u"action"_s).toString(), u"kill"_s);
    }
};

SB_TEST_MAIN(TestConsoleFaultsDevCluster)
#include "tst_consolefaults_devcluster.moc"
