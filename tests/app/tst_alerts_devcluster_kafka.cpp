// The devcluster alerts of the Kafka area (the class and the story: AlertsDevClusterTest.h,
// tst_alerts_devcluster.cpp): the consumer group the replicas announce, stopped by the
// pause-stage1 fault, and the stage-1 topic's dead letters, grown by the poison fault.
#include "AlertsDevClusterTest.h"
#include "app/FaultActions.h"
#include "app/FaultEventLog.h"
#include "models/AlertRules.h"
#include "models/KafkaGroupModel.h"
#include "models/KafkaTopicModel.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>

#include <optional>

using namespace sb;
using namespace Qt::StringLiterals;
using models::Alert;
using models::AlertRules;
using testing::findAlert;
using testing::postMessages;

// The "consumer group" alert: the Kafka area (polled every 500 ms) on the stage-1 group
// the replicas announce, judged by Burrow's rules. The pause-stage1 fault (FaultActions,
// as the Faults panel and `switchboard fault` take it) stops every replica's stage-1
// consumer while messages are posted: no commit, lag growing, the group goes STOP/ERR
// with its reason; resumed, it catches up (lag 0, OK) and the alert clears.
void TestAlertsDevCluster::pausedStage1RaisesConsumerGroupThenClearsWhenResumed()
{
    testing::KafkaUnderAlerts under(
        redisUrl(), m_fixture.endpoints().value(u"kafka"_s).toString(), 500, m_fixture.profiles());
    app::ConsoleAlerts &alerts = under.watched.alerts;
    const QString group = m_fixture.endpoints().value(u"topicPrefix"_s).toString() + u"-notifications"_s;
    auto status = [&under, &group] {
        const models::KafkaGroupModel *groups = under.kafka.groups();
        for (int row = 0; row < groups->rowCount(); ++row)
            if (groups->group(row).id == group)
                return std::optional(groups->group(row).verdict.status);
        return std::optional<inspect::BurrowStatus>();
    };
    QTRY_COMPARE_WITH_TIMEOUT(status(), std::optional(inspect::BurrowStatus::Ok), 20000);
    QVERIFY(!findAlert(alerts.model()->active(), AlertRules::ConsumerGroup, group));

    app::FaultEventLog log;
    app::FaultActions faults(m_fixture.cluster(), &log);
    QString error;
    auto perform = [&faults, &error](const QString &action) {
        const auto request = protocol::FaultRequest::parse(action, {}, &error);
        if (!request)
            return false;
        const app::FaultActions::Outcome outcome = faults.perform(*request);
        error = outcome.message;
        return outcome.ok;
    };
    QVERIFY2(perform(u"pause-stage1"_s), qPrintable(error));
    testing::NodeClients clients;
    const QUrl node = nodeUrl(u"node-1"_s);
    const QByteArray token = clients.login(node, u"carol"_s);
    QVERIFY2(!token.isEmpty(), qPrintable(clients.lastError()));
    QNetworkAccessManager http;
    QTRY_VERIFY_WITH_TIMEOUT(postMessages(&http, node, token, u"while paused"_s, 20).isEmpty()
            && findAlert(alerts.model()->active(), AlertRules::ConsumerGroup, group),
        20000);
    const Alert stopped = *findAlert(alerts.model()->active(), AlertRules::ConsumerGroup, group);
    QCOMPARE(stopped.severity, Alert::Severity::Critical);
    QVERIFY2(stopped.figure.contains(u", lag "_s) && !stopped.figure.endsWith(u", lag 0"_s),
        qPrintable(stopped.figure));
    QVERIFY2(!stopped.detail.isEmpty(), "Burrow's reason");
    QVERIFY(stopped.since.secsTo(stopped.raisedAt) >= under.watched.thresholds.raiseAfterSeconds);

    QVERIFY2(perform(u"resume-stage1"_s), qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(!findAlert(alerts.model()->active(), AlertRules::ConsumerGroup, group), 20000);
    QVERIFY(findAlert(alerts.model()->recent(), AlertRules::ConsumerGroup, group));
    QCOMPARE(status(), std::optional(inspect::BurrowStatus::Ok));
}

// The "dead letters" alert: the Kafka area's topics, where the stage-1 topic's *.DLT is
// listed with its end offset. The poison fault (FaultActions) produces 3 undecodable
// records to the stage-1 topic; the relay dead-letters them, the DLT grows by 3, the
// alert is raised with that growth and cleared once it stopped growing for the window.
void TestAlertsDevCluster::poisonRecordsRaiseDeadLettersThenClear()
{
    testing::KafkaUnderAlerts under(
        redisUrl(), m_fixture.endpoints().value(u"kafka"_s).toString(), 500, m_fixture.profiles());
    app::ConsoleAlerts &alerts = under.watched.alerts;
    const QString deadLetters
        = m_fixture.endpoints().value(u"topicPrefix"_s).toString() + u".MessageCreatedEvent.DLT"_s;
    auto records = [&under, &deadLetters] {
        const models::KafkaTopicModel *topics = under.kafka.topics();
        for (int row = 0; row < topics->rowCount(); ++row)
            if (topics->topic(row).name == deadLetters && topics->topic(row).deadLetter)
                return std::optional(topics->topic(row).endOffsets);
        return std::optional<qint64>();
    };
    QSignalSpy polled(&under.kafka, &app::KafkaAreaAssembly::snapshotApplied);
    QTRY_VERIFY_WITH_TIMEOUT(polled.size() >= 2 && records(), 20000);
    // The alerts count the DLT's growth from the first size they see (AlertCounterTrend): an
    // evaluation must have seen it listed before the poison, or the first to see it could see
    // the grown size, which then is no growth. (The alerts evaluate from before the Kafka
    // area's first poll: that there was an evaluation says nothing.)
    const QDateTime listed = QDateTime::currentDateTimeUtc();
    QTRY_VERIFY_WITH_TIMEOUT(alerts.engine().evaluatedAt() > listed, 20000);
    const qint64 before = *records();
    QVERIFY(!findAlert(alerts.model()->active(), AlertRules::DeadLetters, deadLetters));

    app::FaultEventLog log;
    app::FaultActions faults(m_fixture.cluster(), &log);
    QString error;
    const auto poison = protocol::FaultRequest::parse(u"poison"_s, { { u"count"_s, 3 } }, &error);
    QVERIFY2(poison, qPrintable(error));
    const app::FaultActions::Outcome outcome = faults.perform(*poison);
    QVERIFY2(outcome.ok, qPrintable(outcome.message));
    QTRY_COMPARE_WITH_TIMEOUT(records(), std::optional<qint64>(before + 3), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(
        findAlert(alerts.model()->active(), AlertRules::DeadLetters, deadLetters), 10000);
    const Alert grown = *findAlert(alerts.model()->active(), AlertRules::DeadLetters, deadLetters);
    QCOMPARE(grown.severity, Alert::Severity::Warning);
    QVERIFY2(grown.figure.startsWith(u"+3 dead-lettered records in 5 s (%1 in all)"_s.arg(before + 3)),
        qPrintable(grown.figure));
    QVERIFY(grown.since.secsTo(grown.raisedAt) >= under.watched.thresholds.raiseAfterSeconds);

    QTRY_VERIFY_WITH_TIMEOUT(
        !findAlert(alerts.model()->active(), AlertRules::DeadLetters, deadLetters), 20000);
    QVERIFY(findAlert(alerts.model()->recent(), AlertRules::DeadLetters, deadLetters));
}
