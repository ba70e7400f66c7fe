#pragma once

#include "inspect/CounterRate.h"
#include "inspect/ReplicaDiscoveryConfig.h"
#include "inspect/ReplicaInfo.h"
#include "inspect/ReplicaSourceStatus.h"
#include "protocol/PrometheusTextParser.h"

#include <QObject>
#include <QPointer>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;
class QNetworkReply;
class QNetworkRequest;

namespace sb::inspect {

// Polls one HTTP endpoint for one replica: a Prometheus scrape or /admin/stats. Owns the
// endpoint's retry policy (a failure marks it down at once; the next attempts come after
// 1, 2, 4 ... poll intervals, capped) and, for /admin/stats, its bearer token (logging in
// with the admin credentials when there is none or it was refused). Lives on the
// discovery's worker thread, with the QNetworkAccessManager it is given.
class HttpReplicaProbe : public QObject
{
    Q_OBJECT
public:
    enum class Kind { Metrics, AdminStats };

    struct Outcome
    {
        bool ok = false;
        QString error;
        ReplicaInfo info; // valid when ok
    };
    using Done = std::function<void(const Outcome &)>;

    static constexpr qint64 kMaxBodyBytes = 8 * 1024 * 1024;

    HttpReplicaProbe(Kind kind, QUrl url, const ReplicaDiscoveryConfig &config,
        QNetworkAccessManager *network, QObject *parent = nullptr);
    ~HttpReplicaProbe() override;

    Kind kind() const { return m_kind; }
    QUrl url() const { return m_url; }
    bool busy() const { return m_busy; }
    // False while backing off after failures.
    bool isDue(const QDateTime &now) const { return !m_nextAttempt.isValid() || now >= m_nextAttempt; }
    // Starts one poll; `done` runs once, later, on this object's thread.
    void poll(Done done);

    // The id this endpoint reported last (its host:port until it names itself), so a
    // failure is attributed to the right row.
    QString lastKnownId() const { return m_lastId; }
    ReplicaSourceStatus status() const;
    // The wait before the next attempt after `failures` failures in a row: 1, 2, 4 ... poll
    // intervals, capped (ReplicaDirectProbe retries on the same schedule).
    static qint64 retryDelayMs(int failures, int intervalMs, int maxBackoffMs);
    const Outcome &lastOutcome() const { return m_last; }
    bool hasOutcome() const { return m_hasOutcome; }
    // Why a request to a replica failed, in the words the Replicas area shows (a timeout,
    // refused, closed, an HTTP status); ReplicaLivenessChecks and ReplicaDirectProbe say it
    // through this too.
    static QString describe(QNetworkReply *reply);

private:
    QNetworkRequest request(const QUrl &url) const;
    QNetworkReply *track(QNetworkReply *reply);
    void login();
    void fetch(bool mayLoginAgain);
    void onFetched(QNetworkReply *reply, bool mayLoginAgain);
    void succeed(ReplicaInfo info);
    void fail(const QString &error);
    void finish();

    const Kind m_kind;
    const QUrl m_url;
    const int m_timeoutMs;
    const int m_intervalMs;
    const int m_maxBackoffMs;
    QNetworkAccessManager *m_network;
    sb::protocol::PrometheusTextParser::Sample m_series; // the connection-count selector
    QString m_seriesError;
    QByteArray m_token;
    QString m_user;
    QString m_password;

    bool m_busy = false;
    Done m_done;
    QPointer<QNetworkReply> m_reply;
    Outcome m_last;
    bool m_hasOutcome = false;
    QString m_lastId;
    int m_failures = 0;
    QDateTime m_nextAttempt;
    CounterRate m_inRate;
    CounterRate m_outRate;
};

} // namespace sb::inspect
