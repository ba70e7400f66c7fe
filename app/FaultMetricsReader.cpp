#include "app/FaultMetricsReader.h"

#include <QNetworkReply>

#include <memory>

namespace sb::app {

FaultMetricsReader::FaultMetricsReader(QObject *parent)
    : QObject(parent)
{
}

void FaultMetricsReader::read(const QHash<QString, QString> &replicas, QObject *context,
                              std::function<void(const Metrics &)> done)
{
    struct Pending
    {
        int left = 0;
        Metrics metrics;
        std::function<void(const Metrics &)> done;
    };
    auto pending = std::make_shared<Pending>();
    pending->left = int(replicas.size());
    pending->done = std::move(done);
    if (pending->left == 0)
        return pending->done({});
    for (auto it = replicas.cbegin(); it != replicas.cend(); ++it) {
        QNetworkRequest request{QUrl(it.value() + QStringLiteral("/metrics"))};
        request.setTransferTimeout(kTimeoutMs);
        QNetworkReply *reply = m_http.get(request);
        connect(reply, &QNetworkReply::finished, context, [reply, pending, id = it.key()] {
            reply->deleteLater();
            if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200)
                pending->metrics.insert(id, protocol::PrometheusTextParser::parse(reply->readAll()));
            if (--pending->left == 0)
                pending->done(pending->metrics);
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
