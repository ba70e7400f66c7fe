#pragma once

#include "app/FaultControlAnswer.h"
#include "protocol/FaultRequest.h"

#include <QObject>
#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;

namespace sb::app {

// An HTTP client of a devcluster's control endpoint (FaultControlServer): POST /faults and
// GET /events, each answered once, asynchronously, as a FaultControlAnswer. What
// `switchboard fault` sends with, and the console's Faults panel on an attached devcluster.
// Every answer is bounded: kMaxAnswerBytes of body (a longer one is cut off and is a
// BadAnswer), the timeout without progress (Unreachable), no redirect followed (the endpoint
// never redirects; one that did could send a fault elsewhere), no proxy (the endpoint is on
// this machine). A fault answered 503 (the endpoint's connection limit: nothing was done) is
// sent again after its Retry-After, up to kBusyRetries times, before Busy is the answer.
// Deleting the client drops what is in flight: no answer is delivered late.
class FaultControlClient : public QObject
{
    Q_OBJECT
public:
    // A full event log (FaultEventLog::kMaxEvents rows with their effects) is a few hundred KB.
    static constexpr qint64 kMaxAnswerBytes = 4 * 1024 * 1024;
    static constexpr int kBusyRetries = 2;

    FaultControlClient(const QUrl &control, int timeoutMs, QObject *parent = nullptr);

    QUrl control() const { return m_control; }
    void sendFault(const protocol::FaultRequest &request);
    void readEvents();

signals:
    void faultAnswered(const sb::app::FaultControlAnswer &answer);
    void eventsAnswered(const sb::app::FaultControlAnswer &answer);

private:
    void postFault(const QByteArray &body, const QString &action, int attempt);
    QNetworkReply *track(QNetworkReply *reply);
    // The answer of a finished reply, or why there is none.
    FaultControlAnswer read(QNetworkReply *reply, bool fault) const;

    QUrl m_control;
    int m_timeoutMs;
    QNetworkAccessManager *m_network; // a child: it goes, with its replies, after our connections
};

} // namespace sb::app
