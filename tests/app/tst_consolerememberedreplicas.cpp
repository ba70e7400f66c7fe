// ConsoleRememberedReplicas: what a profile's console saw is what the next session asks
// directly when the registry cannot be read at start (issue 11).
#include "app/ConsoleRememberedReplicas.h"
#include "models/ReplicaModel.h"
#include "support/TestMain.h"

#include <QCoreApplication>
#include <QSettings>
#include <QStandardPaths>
#include <QTest>

using namespace sb;
using sb::app::ConsoleRememberedReplicas;
using namespace Qt::StringLiterals;

namespace {

inspect::ReplicaInfo replica(const QString &id, const QString &address, inspect::ReplicaInfo::State state)
{
    inspect::ReplicaInfo info;
    info.id = id;
    info.address = address;
    info.state = state;
    info.source = u"registry"_s;
    return info;
}

inspect::ReplicaSnapshot snapshotOf(const QList<inspect::ReplicaInfo> &replicas)
{
    inspect::ReplicaSnapshot snapshot;
    snapshot.at = QDateTime::currentDateTimeUtc();
    snapshot.poll = 1;
    snapshot.replicas = replicas;
    return snapshot;
}

} // namespace

class TestConsoleRememberedReplicas : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"switchboard-test"_s);
        QCoreApplication::setApplicationName(u"tst_consolerememberedreplicas"_s);
        QSettings().clear();
    }

    void savesWhatItSawPerProfileAndLoadsItBack()
    {
        models::ReplicaModel model;
        const QString profile = u"prod/eu-west"_s; // a '/' is not a settings group here
        ConsoleRememberedReplicas remembered(profile, &model);
        model.apply(snapshotOf({ replica(u"n1"_s, u"10.0.0.1:8080"_s, inspect::ReplicaInfo::State::Ready),
            replica(u"n2"_s, u"10.0.0.2:8080"_s, inspect::ReplicaInfo::State::Down),
            // an endpoint that never answered: its URL is its id, no address to ask
            replica(u"http://x:9/metrics"_s, u"http://x:9/metrics"_s, inspect::ReplicaInfo::State::Down) }));
        remembered.save();
        const QHash<QString, QString> loaded = ConsoleRememberedReplicas::load(profile);
        QCOMPARE(loaded,
            (QHash<QString, QString> { { u"n1"_s, u"10.0.0.1:8080"_s }, { u"n2"_s, u"10.0.0.2:8080"_s } }));
        QVERIFY(ConsoleRememberedReplicas::load(u"prod"_s).isEmpty()); // another profile's are its own
        QVERIFY(ConsoleRememberedReplicas::load(u"prod/eu-west2"_s).isEmpty());
    }

    void anEmptyAreaDoesNotEraseWhatIsKnown()
    {
        const QString profile = u"staging"_s;
        models::ReplicaModel model;
        ConsoleRememberedReplicas remembered(profile, &model);
        model.apply(
            snapshotOf({ replica(u"s1"_s, u"127.0.0.1:7001"_s, inspect::ReplicaInfo::State::Ready) }));
        remembered.save();
        model.apply(snapshotOf({})); // nothing answers yet, or an outage at start
        remembered.save();
        QCOMPARE(ConsoleRememberedReplicas::load(profile).value(u"s1"_s), u"127.0.0.1:7001"_s);
        // A replica that moved is remembered at its new address.
        model.apply(
            snapshotOf({ replica(u"s1"_s, u"127.0.0.1:7002"_s, inspect::ReplicaInfo::State::Ready) }));
        remembered.save();
        QCOMPARE(ConsoleRememberedReplicas::load(profile).value(u"s1"_s), u"127.0.0.1:7002"_s);
    }

    void hostileSettingsAreBounded()
    {
        QVariantMap many;
        for (int i = 0; i < ConsoleRememberedReplicas::kMaxRemembered + 500; ++i)
            many.insert(u"r%1"_s.arg(i), u"127.0.0.1:%1"_s.arg(1000 + i));
        many.insert(QString(), u"127.0.0.1:1"_s);
        many.insert(u"blank"_s, u"   "_s);
        QSettings().setValue(u"rememberedReplicas/hostile"_s, many);
        const QHash<QString, QString> loaded = ConsoleRememberedReplicas::load(u"hostile"_s);
        QCOMPARE(loaded.size(), ConsoleRememberedReplicas::kMaxRemembered);
        QVERIFY(!loaded.contains(QString()));
        QVERIFY(!loaded.contains(u"blank"_s));
    }
};

SB_TEST_GUILESS_MAIN(TestConsoleRememberedReplicas)
#include "tst_consolerememberedreplicas.moc"
