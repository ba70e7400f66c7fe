#include "support/ReplicaProbes.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>

#include <utility>

namespace sb::testing {

namespace {

// A blocking GET: status (0 when unreachable) and body.
std::pair<int, QByteArray> blockingGet(QNetworkAccessManager *network, const QUrl &url)
{
    QNetworkRequest request(url);
    request.setTransferTimeout(3000);
    QNetworkReply *reply = network->get(request);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    return { status, reply->readAll() };
}

qint64 metricSample(const QByteArray &metrics, const QByteArray &series)
{
    for (const QByteArray &line : metrics.split('\n'))
        if (line.startsWith(QByteArray(series + ' ')))
            return line.mid(series.size() + 1).trimmed().toLongLong();
    return -1;
}

} // namespace

ReplicaProbes ReplicaProbes::read(QNetworkAccessManager *network, const QUrl &node)
{
    ReplicaProbes probes;
    probes.live = blockingGet(network, node.resolved(QUrl(QStringLiteral("/healthz/live")))).first;
    const auto ready = blockingGet(network, node.resolved(QUrl(QStringLiteral("/healthz/ready"))));
    probes.ready = ready.first;
    const QJsonObject readiness = QJsonDocument::fromJson(ready.second).object();
    probes.dependencies = readiness.value(QStringLiteral("dependencies")).toString();
    probes.draining = readiness.value(QStringLiteral("draining")).toBool();
    const auto metrics = blockingGet(network, node.resolved(QUrl(QStringLiteral("/metrics"))));
    if (metrics.first == 200) {
        probes.stomp = metricSample(metrics.second, R"(sb_connections{transport="stomp"})");
        probes.sse = metricSample(metrics.second, R"(sb_connections{transport="sse"})");
    }
    return probes;
}

} // namespace sb::testing
