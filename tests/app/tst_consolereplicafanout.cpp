// ConsoleReplicaFanOut: what the Replicas area found, as the Kafka and Traffic areas are
// given it. The groups each replica announces, one owner per (group, replica) with that
// replica's state and whether it reads the group from the log start, in a stable order;
// every replica with an address as a tap endpoint, a down one too, a bare host:port as HTTP.
#include "app/ConsoleReplicaFanOut.h"
#include "models/ReplicaModel.h"
#include "support/TestMain.h"

#include <QTest>

using namespace sb;
using sb::app::ConsoleReplicaFanOut;
using ReplicaState = inspect::ReplicaInfo::State;
using namespace Qt::StringLiterals;

namespace {

inspect::ReplicaInfo replicaInfo(const QString &id, const QString &address, ReplicaState state)
{
    inspect::ReplicaInfo info;
    info.id = id;
    info.address = address;
    info.state = state;
    info.source = u"registry"_s;
    info.lastSeen = QDateTime::fromSecsSinceEpoch(1700000000);
    return info;
}

void apply(models::ReplicaModel *model, const QList<inspect::ReplicaInfo> &replicas)
{
    inspect::ReplicaSnapshot snapshot;
    snapshot.at = QDateTime::currentDateTimeUtc();
    snapshot.poll = 1;
    snapshot.replicas = replicas;
    model->apply(snapshot);
}

} // namespace

class TestConsoleReplicaFanOut : public QObject
{
    Q_OBJECT

private slots:
    void groupOwnersOnePerGroupAndReplicaInOrder()
    {
        inspect::ReplicaInfo n2 = replicaInfo(u"n2"_s, u"10.0.0.2:8080"_s, ReplicaState::Ready);
        n2.kafkaGroups = { u"stage1"_s, u"persist"_s };
        n2.kafkaGroupsFromStart = { u"stage1"_s };
        inspect::ReplicaInfo n1 = replicaInfo(u"n1"_s, u"10.0.0.1:8080"_s, ReplicaState::Down);
        n1.kafkaGroups = { u"stage1"_s };
        inspect::ReplicaInfo n3
            = replicaInfo(u"n3"_s, u"10.0.0.3:8080"_s, ReplicaState::Ready); // announces none
        models::ReplicaModel model;
        apply(&model, { n2, n1, n3 });

        const QList<inspect::KafkaGroupOwner> owners = ConsoleReplicaFanOut::groupOwners(model);
        QCOMPARE(owners.size(), 3);
        const QDateTime seen = n1.lastSeen;
        // By group, then replica: a registry that did not change is a list that did not.
        QCOMPARE(owners.at(0), (inspect::KafkaGroupOwner { u"persist"_s, u"n2"_s, false, seen, false }));
        // The same group's owners each with their own state: n1 is gone, n2 is not.
        QCOMPARE(owners.at(1), (inspect::KafkaGroupOwner { u"stage1"_s, u"n1"_s, true, seen, false }));
        // From the log start only where that replica announced it.
        QCOMPARE(owners.at(2), (inspect::KafkaGroupOwner { u"stage1"_s, u"n2"_s, false, seen, true }));
    }

    void tapEndpointsOfEveryReplicaWithAnAddress()
    {
        models::ReplicaModel model;
        apply(&model,
            { replicaInfo(u"n1"_s, u"10.0.0.1:8080"_s, ReplicaState::Ready),
                replicaInfo(u"n2"_s, u"https://replica-2.example:8443"_s, ReplicaState::Ready),
                replicaInfo(
                    u"n3"_s, u"10.0.0.3:8080"_s, ReplicaState::Down), // tapped too: its client says down
                replicaInfo(u"n4"_s, QString(), ReplicaState::Down), // never announced where it is
                replicaInfo(u"n5"_s, u"http://"_s, ReplicaState::Ready) }); // no host
        const QList<inspect::TapEndpoint> endpoints = ConsoleReplicaFanOut::tapEndpoints(model);
        QCOMPARE(endpoints.size(), 3);
        QCOMPARE(endpoints.at(0), (inspect::TapEndpoint { u"n1"_s, QUrl(u"http://10.0.0.1:8080"_s) }));
        QCOMPARE(
            endpoints.at(1), (inspect::TapEndpoint { u"n2"_s, QUrl(u"https://replica-2.example:8443"_s) }));
        QCOMPARE(endpoints.at(2), (inspect::TapEndpoint { u"n3"_s, QUrl(u"http://10.0.0.3:8080"_s) }));
    }
};

SB_TEST_GUILESS_MAIN(TestConsoleReplicaFanOut)
#include "tst_consolereplicafanout.moc"
