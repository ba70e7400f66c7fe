#include "inspect/CounterRate.h"
#include "inspect/ReplicaDecoder.h"
#include "support/TestMain.h"

#include <QJsonDocument>
#include <QTest>

using namespace sb::inspect;
using namespace Qt::StringLiterals;
using sb::protocol::PrometheusTextParser;

class TestReplicaDecoder : public QObject
{
    Q_OBJECT

private slots:
    void registryHashAsTheNodeWritesIt()
    {
        const QMap<QByteArray, QByteArray> fields { { "address", "127.0.0.1:8081" },
            { "started", "1714550400000" }, { "ready", "1" }, { "draining", "0" }, { "ws", "12" },
            { "sse", "3" }, { "subscriptions", "40" }, { "msgsInPerSec", "2.5" }, { "msgsOutPerSec", "10" },
            { "heartbeatTimeouts", "1" }, { "version", "0.1.0" }, { "somethingNew", "ignored" },
            { "kafkaGroups", "persist,broadcast-n1" }, { "kafkaGroupsFromStart", "persist" } };
        const ReplicaInfo info = ReplicaDecoder::fromRegistryHash(u"n1"_s, fields);
        QCOMPARE(info.id, u"n1"_s);
        QCOMPARE(info.address, u"127.0.0.1:8081"_s);
        QCOMPARE(info.state, ReplicaInfo::State::Ready);
        QCOMPARE(info.started.toMSecsSinceEpoch(), 1714550400000);
        QCOMPARE(info.wsConnections, std::optional<qint64>(12));
        QCOMPARE(info.sseConnections, std::optional<qint64>(3));
        QCOMPARE(info.totalConnections(), std::optional<qint64>(15));
        QCOMPARE(info.subscriptions, std::optional<qint64>(40));
        QCOMPARE(info.messagesInPerSecond, std::optional<double>(2.5));
        QCOMPARE(info.messagesOutPerSecond, std::optional<double>(10));
        QCOMPARE(info.heartbeatTimeouts, std::optional<qint64>(1));
        QCOMPARE(info.version, u"0.1.0"_s);
        QCOMPARE(info.kafkaGroups, (QStringList { u"persist"_s, u"broadcast-n1"_s }));
        QCOMPARE(info.kafkaGroupsFromStart, QStringList { u"persist"_s });
    }

    void registryHashWithMissingAndBrokenFields()
    {
        const ReplicaInfo info = ReplicaDecoder::fromRegistryHash(u"n2"_s,
            { { "ws", "many" }, { "sse", "-1" }, { "draining", "true" }, { "started", "yesterday" } });
        QCOMPARE(info.state, ReplicaInfo::State::Draining);
        QCOMPARE(info.wsConnections, std::nullopt);
        QCOMPARE(info.sseConnections, std::nullopt);
        QCOMPARE(info.totalConnections(), std::nullopt);
        QVERIFY(!info.started.isValid());
        QCOMPARE(info.messagesInPerSecond, std::nullopt);
        QVERIFY(info.kafkaGroupsFromStart.isEmpty()); // an older node does not say: none
        // Nothing about readiness: answering, so up.
        QCOMPARE(ReplicaDecoder::fromRegistryHash(u"n3"_s, {}).state, ReplicaInfo::State::Up);
    }

    void replicaSayingNotReadyIsNotShownUp()
    {
        // ready=0 in the registry (a replica whose Redis or Kafka is down announces it so):
        // alive but refusing traffic, with where that was read, never "up".
        const ReplicaInfo registry
            = ReplicaDecoder::fromRegistryHash(u"n4"_s, { { "ready", "0" }, { "draining", "0" } });
        QCOMPARE(registry.state, ReplicaInfo::State::Unready);
        QVERIFY(registry.stateReason.contains(u"registry"));
        const ReplicaInfo stats = ReplicaDecoder::fromAdminStats(
            QJsonObject { { u"node"_s, u"n5"_s }, { u"ready"_s, false }, { u"draining"_s, false } }, u"x"_s,
            nullptr);
        QCOMPARE(stats.state, ReplicaInfo::State::Unready);
        // Draining wins over not ready: a draining replica is not ready by definition.
        QCOMPARE(ReplicaDecoder::fromRegistryHash(u"n6"_s, { { "ready", "0" }, { "draining", "1" } }).state,
            ReplicaInfo::State::Draining);
        QCOMPARE(ReplicaDecoder::stateFrom(false, std::nullopt), ReplicaInfo::State::Unready);
        QCOMPARE(ReplicaDecoder::stateFrom(std::nullopt, std::nullopt), ReplicaInfo::State::Up);
    }

    void parseTime_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<qint64>("ms"); // -1: invalid
        QTest::newRow("epoch ms") << "1714550400123"_ba << qint64(1714550400123);
        QTest::newRow("epoch s") << "1714550400"_ba << qint64(1714550400000);
        QTest::newRow("epoch s fraction") << "1714550400.5"_ba << qint64(1714550400500);
        QTest::newRow("ISO") << "2024-05-01T08:00:00Z"_ba << qint64(1714550400000);
        QTest::newRow("ISO offset") << "2024-05-01T10:00:00+02:00"_ba << qint64(1714550400000);
        QTest::newRow("empty") << ""_ba << qint64(-1);
        QTest::newRow("junk") << "soon"_ba << qint64(-1);
        QTest::newRow("negative") << "-5"_ba << qint64(-1);
    }

    void parseTime()
    {
        QFETCH(QByteArray, text);
        QFETCH(qint64, ms);
        const QDateTime at = ReplicaDecoder::parseTime(text);
        QCOMPARE(at.isValid() ? at.toMSecsSinceEpoch() : qint64(-1), ms);
    }

    void adminStats()
    {
        const QByteArray json
            = R"({"node":"node-a","bootId":"ab12","version":"0.1.0","startedAt":1714550400000,
            "uptimeSeconds":5,"ready":true,"draining":false,"connections":{"stomp":4,"sse":2,"http":1},
            "subscriptions":9,"messagesIn":100,"messagesOut":250,"heartBeatTimeouts":3})";
        ReplicaDecoder::Counters counters;
        const ReplicaInfo info = ReplicaDecoder::fromAdminStats(
            QJsonDocument::fromJson(json).object(), u"fallback"_s, &counters);
        QCOMPARE(info.id, u"node-a"_s);
        QCOMPARE(info.state, ReplicaInfo::State::Ready);
        QCOMPARE(info.wsConnections, std::optional<qint64>(4));
        QCOMPARE(info.sseConnections, std::optional<qint64>(2));
        QCOMPARE(info.totalConnections(), std::optional<qint64>(6)); // HTTP requests are not clients
        QCOMPARE(info.subscriptions, std::optional<qint64>(9));
        QCOMPARE(info.heartbeatTimeouts, std::optional<qint64>(3));
        QCOMPARE(counters.messagesIn, std::optional<double>(100));
        QCOMPARE(counters.messagesOut, std::optional<double>(250));
        QCOMPARE(info.started.toMSecsSinceEpoch(), 1714550400000);

        const ReplicaInfo bare = ReplicaDecoder::fromAdminStats(QJsonObject {}, u"host:1"_s, nullptr);
        QCOMPARE(bare.id, u"host:1"_s);
        QCOMPARE(bare.totalConnections(), std::nullopt);
    }

    void switchboardMetrics()
    {
        const QByteArray text = "# TYPE sb_connections gauge\n"
                                "sb_connections{transport=\"stomp\"} 5\n"
                                "sb_connections{transport=\"sse\"} 1\n"
                                "sb_connections{transport=\"http\"} 2\n"
                                "sb_subscriptions 7\n"
                                "sb_messages_total{transport=\"stomp\",direction=\"in\"} 10\n"
                                "sb_messages_total{transport=\"sse\",direction=\"out\"} 4\n"
                                "sb_messages_total{transport=\"stomp\",direction=\"out\"} 6\n"
                                "sb_heartbeat_timeouts_total 2\n"
                                "sb_node_ready{node=\"n7\"} 1\n"
                                "sb_node_draining{node=\"n7\"} 0\n";
        QString error;
        const auto series = PrometheusTextParser::parseSeries("sb_connections", &error);
        QVERIFY(series);
        ReplicaDecoder::Counters counters;
        QString problem;
        const ReplicaInfo info = ReplicaDecoder::fromPrometheus(
            PrometheusTextParser::parse(text), *series, u"127.0.0.1:9"_s, &counters, &problem);
        QVERIFY(problem.isEmpty());
        QCOMPARE(info.id, u"n7"_s);
        QCOMPARE(info.state, ReplicaInfo::State::Ready);
        QCOMPARE(info.wsConnections, std::optional<qint64>(5));
        QCOMPARE(info.sseConnections, std::optional<qint64>(1));
        QCOMPARE(info.totalConnections(), std::optional<qint64>(6));
        QCOMPARE(info.subscriptions, std::optional<qint64>(7));
        QCOMPARE(info.heartbeatTimeouts, std::optional<qint64>(2));
        QCOMPARE(counters.messagesIn, std::optional<double>(10));
        QCOMPARE(counters.messagesOut, std::optional<double>(10));
    }

    void springActuatorGaugeWithLabel()
    {
        // What a Spring Boot app's /actuator/prometheus shows for a custom session gauge.
        const QByteArray text = "# TYPE chat_websocket_sessions gauge\n"
                                "chat_websocket_sessions{application=\"chat\",state=\"open\",} 42.0\n"
                                "chat_websocket_sessions{application=\"chat\",state=\"closing\",} 3.0\n"
                                "process_start_time_seconds 1.7145504E9\n";
        const auto series
            = PrometheusTextParser::parseSeries("chat_websocket_sessions{state=\"open\"}", nullptr);
        QVERIFY(series);
        QString problem;
        const ReplicaInfo info = ReplicaDecoder::fromPrometheus(
            PrometheusTextParser::parse(text), *series, u"10.0.0.5:8080"_s, nullptr, &problem);
        QVERIFY(problem.isEmpty());
        QCOMPARE(info.id, u"10.0.0.5:8080"_s);
        QCOMPARE(info.state, ReplicaInfo::State::Up); // no readiness metric
        QCOMPARE(info.otherConnections, std::optional<qint64>(42));
        QCOMPARE(info.totalConnections(), std::optional<qint64>(42));
        QCOMPARE(info.started.toMSecsSinceEpoch(), 1714550400000);

        const auto absent = PrometheusTextParser::parseSeries("nope_total", nullptr);
        ReplicaDecoder::fromPrometheus(PrometheusTextParser::parse(text), *absent, u"x"_s, nullptr, &problem);
        QVERIFY(problem.contains(u"no sample of nope_total"_s));
    }

    // sb_dropped_total{reason="slow_consumer"} from each source the Replicas area reads. The
    // node lists a drop reason only once it dropped for it, so a source that shows the
    // family without this reason says 0 (the alert judges growth from there); a source that
    // does not show the family, or a value that is not a count, says nothing.
    void slowConsumerDropsFromTheRegistry_data()
    {
        QTest::addColumn<QByteArray>("value"); // "<absent>": no such field
        QTest::addColumn<qint64>("expected"); // -1: unknown
        QTest::newRow("counted") << "7"_ba << qint64(7);
        QTest::newRow("none yet") << "0"_ba << qint64(0);
        QTest::newRow("older node: absent") << "<absent>"_ba << qint64(-1);
        QTest::newRow("negative") << "-2"_ba << qint64(-1);
        QTest::newRow("junk") << "lots"_ba << qint64(-1);
        QTest::newRow("empty") << ""_ba << qint64(-1);
    }

    void slowConsumerDropsFromTheRegistry()
    {
        QFETCH(QByteArray, value);
        QFETCH(qint64, expected);
        QMap<QByteArray, QByteArray> fields { { "ready", "1" }, { "heartbeatTimeouts", "1" } };
        if (value != "<absent>")
            fields.insert("slowConsumerDrops", value);
        const ReplicaInfo info = ReplicaDecoder::fromRegistryHash(u"n1"_s, fields);
        QCOMPARE(info.slowConsumerDrops.value_or(-1), expected);
        QCOMPARE(info.heartbeatTimeouts, std::optional<qint64>(1)); // the other counters untouched
    }

    void slowConsumerDropsFromAdminStats_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<qint64>("expected"); // -1: unknown
        QTest::newRow("counted") << R"({"dropped":{"slow_consumer":4,"frame_too_large":1}})"_ba << qint64(4);
        QTest::newRow("other reasons only") << R"({"dropped":{"frame_too_large":1}})"_ba << qint64(0);
        QTest::newRow("nothing dropped yet") << R"({"dropped":{}})"_ba << qint64(0);
        QTest::newRow("no dropped object") << R"({"heartBeatTimeouts":2})"_ba << qint64(-1);
        QTest::newRow("dropped not an object") << R"({"dropped":3})"_ba << qint64(-1);
        QTest::newRow("a string") << R"({"dropped":{"slow_consumer":"4"}})"_ba << qint64(-1);
        QTest::newRow("negative") << R"({"dropped":{"slow_consumer":-1}})"_ba << qint64(-1);
        QTest::newRow("null") << R"({"dropped":{"slow_consumer":null}})"_ba << qint64(-1);
    }

    void slowConsumerDropsFromAdminStats()
    {
        QFETCH(QByteArray, json);
        QFETCH(qint64, expected);
        QJsonParseError error;
        const QJsonObject stats = QJsonDocument::fromJson(json, &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        const ReplicaInfo info = ReplicaDecoder::fromAdminStats(stats, u"n1"_s, nullptr);
        QCOMPARE(info.slowConsumerDrops.value_or(-1), expected);
    }

    void slowConsumerDropsFromPrometheus_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<qint64>("expected"); // -1: unknown
        // As NodeMetrics writes it: HELP and TYPE always, a sample per reason seen.
        const QByteArray family
            = "# HELP sb_dropped_total Frames, connections or requests refused or dropped, by "
              "reason.\n# TYPE sb_dropped_total counter\n";
        QTest::newRow("counted") << QByteArray(family
            + "sb_dropped_total{reason=\"slow_consumer\"} 3\n"
              "sb_dropped_total{reason=\"frame_too_large\"} 9\n")
                                 << qint64(3);
        QTest::newRow("family, no drop yet") << family << qint64(0);
        QTest::newRow("other reason only, no TYPE line")
            << "sb_dropped_total{reason=\"draining\"} 2\n"_ba << qint64(0);
        QTest::newRow("not a Switchboard node") << "chat_websocket_sessions 4\n"_ba << qint64(-1);
        QTest::newRow("negative") << QByteArray(family + "sb_dropped_total{reason=\"slow_consumer\"} -3\n")
                                  << qint64(-1);
        QTest::newRow("NaN") << QByteArray(family + "sb_dropped_total{reason=\"slow_consumer\"} NaN\n")
                             << qint64(-1);
        QTest::newRow("float") << QByteArray(family + "sb_dropped_total{reason=\"slow_consumer\"} 5.0\n")
                               << qint64(5);
    }

    void slowConsumerDropsFromPrometheus()
    {
        QFETCH(QByteArray, text);
        QFETCH(qint64, expected);
        const QByteArray scrape = "sb_connections{transport=\"stomp\"} 1\n" + text;
        const auto series = PrometheusTextParser::parseSeries("sb_connections", nullptr);
        QVERIFY(series);
        const ReplicaInfo info = ReplicaDecoder::fromPrometheus(
            PrometheusTextParser::parse(scrape), *series, u"127.0.0.1:9"_s, nullptr, nullptr);
        QCOMPARE(info.slowConsumerDrops.value_or(-1), expected);
    }

    void counterRate()
    {
        CounterRate rate;
        const QDateTime t0 = QDateTime::fromMSecsSinceEpoch(1000000, Qt::UTC);
        QCOMPARE(rate.update(100, t0), std::nullopt); // first reading: no rate yet
        QCOMPARE(rate.update(150, t0.addMSecs(500)), std::optional<double>(100.0));
        QCOMPARE(rate.update(10, t0.addMSecs(1500)), std::nullopt); // restarted process
        QCOMPARE(rate.update(20, t0.addMSecs(2500)), std::optional<double>(10.0));
        QCOMPARE(rate.update(std::nullopt, t0.addMSecs(3500)), std::nullopt);
    }
};

SB_TEST_APPLESS_MAIN(TestReplicaDecoder)
#include "tst_replicadecoder.moc"
