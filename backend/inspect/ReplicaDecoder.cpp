#include "inspect/ReplicaDecoder.h"

#include <QJsonValue>
#include <QTimeZone>

#include <cmath>

namespace sb::inspect {

using sb::protocol::PrometheusTextParser;

namespace {

std::optional<qint64> jsonCount(const QJsonValue &value)
{
    if (!value.isDouble())
        return std::nullopt;
    const double d = value.toDouble();
    if (!std::isfinite(d) || d < 0)
        return std::nullopt;
    return qint64(d);
}

std::optional<bool> jsonBool(const QJsonValue &value)
{
    if (value.isBool())
        return value.toBool();
    if (value.isDouble())
        return value.toDouble() != 0;
    return std::nullopt;
}

bool matches(const PrometheusTextParser::Sample &sample, const PrometheusTextParser::Sample &series)
{
    if (sample.name != series.name)
        return false;
    for (const auto &wanted : series.labels) {
        if (sample.label(wanted.first) != wanted.second)
            return false;
    }
    return true;
}

// Sums finite samples of `name` (any labels) whose `label` equals `value` (or all when
// label is empty); nullopt when there is none.
std::optional<double> sumOf(const PrometheusTextParser::Result &scrape, QByteArrayView name,
    QByteArrayView label = {}, const QString &value = {})
{
    std::optional<double> sum;
    for (const auto &s : scrape.samples) {
        if (s.name != name || !std::isfinite(s.value))
            continue;
        if (!label.isEmpty() && s.label(label) != value)
            continue;
        sum = sum.value_or(0) + s.value;
    }
    return sum;
}

std::optional<qint64> asCount(std::optional<double> value)
{
    if (!value || *value < 0)
        return std::nullopt;
    return qint64(std::llround(*value));
}

// The node writes a reason's sb_dropped_total sample only once it first dropped for that
// reason: a scrape that has the family (its HELP/TYPE lines or another reason's sample) but
// not this reason says none yet, 0; a scrape without the family (not a Switchboard node)
// says nothing. The zero matters: the alert judges growth, and a counter first seen at 1
// has grown by nothing.
std::optional<qint64> droppedFor(const PrometheusTextParser::Result &scrape, const QString &reason)
{
    static constexpr QByteArrayView kFamily = "sb_dropped_total";
    bool familySeen = scrape.families.contains(kFamily.toByteArray());
    for (const auto &s : scrape.samples) {
        if (s.name != kFamily)
            continue;
        if (s.label("reason") == reason)
            return asCount(sumOf(scrape, kFamily, "reason", reason)); // nullopt when unreadable
        familySeen = true;
    }
    return familySeen ? std::optional<qint64>(0) : std::nullopt;
}

} // namespace

ReplicaInfo::State ReplicaDecoder::stateFrom(std::optional<bool> ready, std::optional<bool> draining)
{
    if (draining.value_or(false))
        return ReplicaInfo::State::Draining;
    if (!ready)
        return ReplicaInfo::State::Up; // it answered; its readiness is not known
    // A replica that says it is not ready (ready=0 in its registry entry, in /admin/stats or
    // in sb_node_ready) is alive and refuses traffic: shown as such, never as plainly "up".
    return *ready ? ReplicaInfo::State::Ready : ReplicaInfo::State::Unready;
}

ReplicaInfo ReplicaDecoder::fromRegistryHash(const QString &id, const QMap<QByteArray, QByteArray> &fields)
{
    ReplicaInfo info;
    info.id = id;
    info.source = QStringLiteral("registry");
    info.address = QString::fromUtf8(fields.value("address"));
    info.version = QString::fromUtf8(fields.value("version"));
    info.started = parseTime(fields.value("started"));
    info.state = stateFrom(parseBool(fields.value("ready")), parseBool(fields.value("draining")));
    if (info.state == ReplicaInfo::State::Unready)
        info.stateReason = QStringLiteral("its registry entry says not ready");
    info.wsConnections = parseCount(fields.value("ws"));
    info.sseConnections = parseCount(fields.value("sse"));
    info.subscriptions = parseCount(fields.value("subscriptions"));
    info.messagesInPerSecond = parseRate(fields.value("msgsInPerSec"));
    info.messagesOutPerSecond = parseRate(fields.value("msgsOutPerSec"));
    info.heartbeatTimeouts = parseCount(fields.value("heartbeatTimeouts"));
    info.slowConsumerDrops
        = parseCount(fields.value("slowConsumerDrops")); // absent from older nodes: unknown
    const QByteArray groups = fields.value("kafkaGroups");
    if (!groups.isEmpty())
        info.kafkaGroups = QString::fromUtf8(groups).split(QLatin1Char(','), Qt::SkipEmptyParts);
    const QByteArray fromStart = fields.value("kafkaGroupsFromStart");
    if (!fromStart.isEmpty())
        info.kafkaGroupsFromStart = QString::fromUtf8(fromStart).split(QLatin1Char(','), Qt::SkipEmptyParts);
    if (parseBool(fields.value("left")).value_or(false)) {
        // Its drain finished and it went (RegistryAnnouncer::markLeft): no figure of it is
        // live; its Kafka groups stay named, so their owner reads as gone.
        info.state = ReplicaInfo::State::Left;
        info.stateReason.clear();
        info.detail = QStringLiteral("drained and left: its registry entry says its drain finished");
        info.wsConnections.reset();
        info.sseConnections.reset();
        info.subscriptions.reset();
        info.messagesInPerSecond.reset();
        info.messagesOutPerSecond.reset();
    }
    return info;
}

ReplicaInfo ReplicaDecoder::fromAdminStats(
    const QJsonObject &stats, const QString &fallbackId, Counters *counters)
{
    ReplicaInfo info;
    const QString node = stats.value(QStringLiteral("node")).toString();
    info.id = node.isEmpty() ? fallbackId : node;
    info.source = QStringLiteral("admin");
    info.version = stats.value(QStringLiteral("version")).toString();
    const QJsonValue startedAt = stats.value(QStringLiteral("startedAt"));
    if (startedAt.isDouble())
        info.started = QDateTime::fromMSecsSinceEpoch(qint64(startedAt.toDouble()), Qt::UTC);
    info.state = stateFrom(
        jsonBool(stats.value(QStringLiteral("ready"))), jsonBool(stats.value(QStringLiteral("draining"))));
    if (info.state == ReplicaInfo::State::Unready)
        info.stateReason = QStringLiteral("its /admin/stats says not ready");
    const QJsonObject connections = stats.value(QStringLiteral("connections")).toObject();
    info.wsConnections = jsonCount(connections.value(QStringLiteral("stomp")));
    info.sseConnections = jsonCount(connections.value(QStringLiteral("sse")));
    info.subscriptions = jsonCount(stats.value(QStringLiteral("subscriptions")));
    info.heartbeatTimeouts = jsonCount(stats.value(QStringLiteral("heartBeatTimeouts")));
    // "dropped" lists only the reasons the replica dropped for so far (NodeMetrics): an object
    // without slow_consumer says none yet; no object says nothing.
    if (const QJsonValue dropped = stats.value(QStringLiteral("dropped")); dropped.isObject()) {
        const QJsonValue slow = dropped.toObject().value(QStringLiteral("slow_consumer"));
        info.slowConsumerDrops = slow.isUndefined() ? std::optional<qint64>(0) : jsonCount(slow);
    }
    if (counters) {
        const auto in = jsonCount(stats.value(QStringLiteral("messagesIn")));
        const auto out = jsonCount(stats.value(QStringLiteral("messagesOut")));
        counters->messagesIn = in ? std::optional<double>(double(*in)) : std::nullopt;
        counters->messagesOut = out ? std::optional<double>(double(*out)) : std::nullopt;
    }
    return info;
}

ReplicaInfo ReplicaDecoder::fromPrometheus(const PrometheusTextParser::Result &scrape,
    const PrometheusTextParser::Sample &series, const QString &fallbackId, Counters *counters,
    QString *problem)
{
    ReplicaInfo info;
    info.id = fallbackId;
    info.source = QStringLiteral("metrics");
    std::optional<bool> ready;
    std::optional<bool> draining;
    for (const auto &s : scrape.samples) {
        if (s.name == "sb_node_ready") {
            ready = s.value != 0;
            if (const auto node = s.label("node"); node && !node->isEmpty())
                info.id = *node;
        } else if (s.name == "sb_node_draining") {
            draining = s.value != 0;
        } else if (s.name == "process_start_time_seconds" && std::isfinite(s.value) && s.value > 0) {
            info.started = QDateTime::fromMSecsSinceEpoch(qint64(s.value * 1000), Qt::UTC);
        }
    }
    info.state = stateFrom(ready, draining);
    if (info.state == ReplicaInfo::State::Unready)
        info.stateReason = QStringLiteral("sb_node_ready is 0");

    bool found = false;
    for (const auto &s : scrape.samples) {
        if (!matches(s, series) || !std::isfinite(s.value))
            continue;
        found = true;
        const qint64 n = qint64(std::llround(qMax(0.0, s.value)));
        const QString transport = s.label("transport").value_or(QString()).toLower();
        if (transport == u"stomp" || transport == u"ws" || transport == u"websocket")
            info.wsConnections = info.wsConnections.value_or(0) + n;
        else if (transport == u"sse")
            info.sseConnections = info.sseConnections.value_or(0) + n;
        else if (transport == u"http")
            continue; // keep-alive HTTP requests are not client connections
        else
            info.otherConnections = info.otherConnections.value_or(0) + n;
    }
    if (!found && problem)
        *problem = QStringLiteral("no sample of %1 in the scrape").arg(QString::fromUtf8(series.name));

    info.subscriptions = asCount(sumOf(scrape, "sb_subscriptions"));
    info.heartbeatTimeouts = asCount(sumOf(scrape, "sb_heartbeat_timeouts_total"));
    info.slowConsumerDrops = droppedFor(scrape, QStringLiteral("slow_consumer"));
    if (counters) {
        counters->messagesIn = sumOf(scrape, "sb_messages_total", "direction", QStringLiteral("in"));
        counters->messagesOut = sumOf(scrape, "sb_messages_total", "direction", QStringLiteral("out"));
    }
    return info;
}

QDateTime ReplicaDecoder::parseTime(const QByteArray &text)
{
    const QByteArray trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return {};
    bool ok = false;
    const double number = trimmed.toDouble(&ok);
    if (ok && std::isfinite(number) && number > 0) {
        // Anything past 1e11 is milliseconds (1e11 s is the year 5138).
        const qint64 ms = number > 1e11 ? qint64(number) : qint64(number * 1000);
        return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
    }
    QDateTime iso = QDateTime::fromString(QString::fromUtf8(trimmed), Qt::ISODateWithMs);
    return iso.isValid() ? iso.toUTC() : QDateTime();
}

std::optional<bool> ReplicaDecoder::parseBool(const QByteArray &text)
{
    const QByteArray t = text.trimmed().toLower();
    if (t == "1" || t == "true" || t == "yes")
        return true;
    if (t == "0" || t == "false" || t == "no")
        return false;
    return std::nullopt;
}

std::optional<qint64> ReplicaDecoder::parseCount(const QByteArray &text)
{
    bool ok = false;
    const qint64 value = text.trimmed().toLongLong(&ok);
    if (ok && value >= 0)
        return value;
    // Some writers format gauges as floats ("3.0").
    const double d = text.trimmed().toDouble(&ok);
    if (ok && std::isfinite(d) && d >= 0 && d < 9e18)
        return qint64(std::llround(d));
    return std::nullopt;
}

std::optional<double> ReplicaDecoder::parseRate(const QByteArray &text)
{
    bool ok = false;
    const double value = text.trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(value) || value < 0)
        return std::nullopt;
    return value;
}

} // namespace sb::inspect
