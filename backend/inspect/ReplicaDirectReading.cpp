#include "inspect/ReplicaDirectReading.h"

#include "protocol/PrometheusTextParser.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace sb::inspect {

using sb::protocol::PrometheusTextParser;

namespace {

QString describeAnswer(const QString &path, const ReplicaDirectReading::Answer &answer)
{
    return path + QStringLiteral(": ")
        + (answer.reached ? QStringLiteral("HTTP %1").arg(answer.status) : answer.error);
}

// The node's /healthz/ready body: {"status":"not ready","draining":false,"dependencies":"down"}.
void readReadiness(const ReplicaDirectReading::Answer &ready, ReplicaInfo *info)
{
    const QJsonObject body = QJsonDocument::fromJson(ready.body).object();
    if (ready.status == 200) {
        info->state = ReplicaInfo::State::Ready;
    } else {
        info->state = ReplicaInfo::State::Unready;
        const QString dependencies = body.value(QStringLiteral("dependencies")).toString();
        const QString status = body.value(QStringLiteral("status")).toString();
        info->stateReason = dependencies == u"down" ? ReplicaDirectReading::dependenciesDown()
            : !status.isEmpty()                     ? status
                                                    : QStringLiteral("HTTP %1").arg(ready.status);
        info->detail = QStringLiteral("/healthz/ready: HTTP %1").arg(ready.status)
            + (dependencies == u"down" ? QStringLiteral(" (its Redis or Kafka is unreachable)") : QString());
    }
    if (body.value(QStringLiteral("draining")).toBool()) {
        info->state = ReplicaInfo::State::Draining;
        info->stateReason.clear();
    }
}

} // namespace

ReplicaDirectReading::Verdict ReplicaDirectReading::judge(const QString &expectedId) const
{
    Verdict verdict;
    if (!live.reached || live.status != 200) {
        verdict.failure = describeAnswer(QStringLiteral("/healthz/live"), live);
        return verdict;
    }
    ReplicaInfo info;
    QStringList problems;
    if (metrics.reached && metrics.status == 200) {
        const PrometheusTextParser::Result scrape = PrometheusTextParser::parse(metrics.body);
        PrometheusTextParser::Sample connections;
        connections.name = QByteArrayLiteral("sb_connections");
        QString problem;
        info = ReplicaDecoder::fromPrometheus(scrape, connections, expectedId, &verdict.counters, &problem);
        if (info.id != expectedId) {
            verdict.failure = QStringLiteral("its address now answers as %1").arg(info.id);
            return verdict;
        }
        if (!problem.isEmpty())
            problems.append(QStringLiteral("/metrics: ") + problem);
    } else {
        info.id = expectedId;
        problems.append(
            describeAnswer(QStringLiteral("/metrics"), metrics) + QStringLiteral(" (no figures)"));
    }
    // /metrics only says ready or not; /healthz/ready also says why not.
    if (ready.reached)
        readReadiness(ready, &info);
    else
        problems.append(describeAnswer(QStringLiteral("/healthz/ready"), ready));
    if (!problems.isEmpty())
        info.detail = info.detail.isEmpty()
            ? problems.join(QStringLiteral("; "))
            : info.detail + QStringLiteral("; ") + problems.join(QStringLiteral("; "));
    info.source = QStringLiteral("probe");
    verdict.alive = true;
    verdict.info = std::move(info);
    return verdict;
}

} // namespace sb::inspect
