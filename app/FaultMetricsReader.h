#pragma once

#include "protocol/PrometheusTextParser.h"

#include <QHash>
#include <QNetworkAccessManager>
#include <QObject>
#include <QString>

#include <functional>

namespace sb::app {

// Reads the replicas' own counters for the fault actions' effect watches (a burst's inbound
// rate, a slow consumer's drop): GET /metrics of each replica at once, parsed, handed over
// together once every one answered or failed. Never waits: the answer comes by callback,
// dropped with the context object it was asked with.
class FaultMetricsReader : public QObject
{
    Q_OBJECT
public:
    using Metrics = QHash<QString, protocol::PrometheusTextParser::Result>; // replica id → its /metrics

    static constexpr int kTimeoutMs = 2000;

    explicit FaultMetricsReader(QObject *parent = nullptr);

    // `replicas`: id → base URL. `done` gets the replicas that answered 200 (the others are
    // missing from the map).
    void read(
        const QHash<QString, QString> &replicas, QObject *context, std::function<void(const Metrics &)> done);

    // The sum of the samples named `name` whose label `label` (if given) equals `value`.
    static double sum(const protocol::PrometheusTextParser::Result &metrics, QByteArrayView name,
        QByteArrayView label = {}, const QString &value = {});

private:
    QNetworkAccessManager m_http;
};

} // namespace sb::app
