#include "app/FaultMetricsReader.h"

#include "app/FaultFanIn.h"

#include <QNetworkReply>

namespace sb::app {

FaultMetricsReader::FaultMetricsReader(QObject *parent)
    : QObject(parent)
{ }

void FaultMetricsReader::read(
    const QHash<QString, QString> &replicas, QObject *context, std::function<void(const Metrics &)> done)
{
    const auto answers = FaultFanIn<Metrics>::expect(int(replicas.size()), std::move(done));
    if (!answers)
        return;
    for (auto it = replicas.cbegin(); it != replicas.cend(); ++it) {
        QNetworkRequest request { QUrl(it.value() + QStringLiteral("/metrics")) };
        request.setTransferTimeout(kTimeoutMs);
        QNetworkReply *reply = m_http.get(request);
        connect(reply, &QNetworkReply::finished, context, [reply, answers, id = it.key()] {
            reply->deleteLater();
            answers->arrive([&](Metrics &metrics) {
                if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200)
                    metrics.insert(id, protocol::PrometheusTextParser::parse(reply->readAll()));
            });
        });
        // A watch that ended takes its pending reads with it.
        connect(context, &QObject::destroyed, reply, &QNetworkReply::abort);
    }
}

double FaultMetricsReader::sum(const protocol::PrometheusTextParser::Result &metrics, QByteArrayView name,
    QByteArrayView label, const QString &value)
{
    double total = 0;
    for (const auto &sample : metrics.samples) {
        if (sample.name != name)
            continue;
        if (!label.isEmpty() && sample.label(label) != value)
            continue;
        total += sample.value;
    }
    return total;
}

} // namespace sb::app
