#pragma once

#include "inspect/MessageTrace.h"
#include "inspect/SseProbeSettings.h"
#include "inspect/StompProbeSettings.h"
#include "inspect/TapSourceStatus.h"
#include "models/Freshness.h"
#include "ui/SnapshotSource.h"

#include <QDateTime>
#include <QTimer>
#include <QWidget>

class QAction;
class QLabel;
class QLineEdit;
class QSplitter;
class QTabWidget;
class QToolButton;

namespace sb::models {
class SeriesHistory;
class TrafficModel;
} // namespace sb::models

namespace sb::ui {

class HistoryChart;
class SequenceDiagram;
class TracePane;
class TrafficCaptureMenu;
class TrafficDetailPane;
class TrafficSourcesLabel;
class TrafficTable;

// The Traffic area: one live table of every frame the console captures (each replica's
// tap, probes, Redis pub/sub, Kafka records), filterable while capture continues, with
// pause, follow-newest and find; beside it the selected frame decoded, its message's
// end-to-end trace, its session as a ladder and the frame rate per replica and transport.
// Reads the model; the assembly feeds it batches and source statuses.
class TrafficView : public QWidget, public SnapshotSource
{
    Q_OBJECT
public:
    TrafficView(models::TrafficModel *model, const models::SeriesHistory *rates, QWidget *parent = nullptr);

    // Every source's state (per replica: connecting, live, lagging, refused, down).
    void setSources(const QList<inspect::TapSourceStatus> &sources, qint64 droppedByConsole);
    const QList<inspect::TapSourceStatus> &sources() const { return m_sources; }
    // A banner over the table, e.g. "RECORDING traffic.jsonl: 12,000 frames from … to …"; empty hides it.
    void setBanner(const QString &text, bool offline);
    QString bannerText() const;
    // A recording in replay (ReplayTrafficPane): no Capture menu and no "Back to live", since
    // nothing live is attached to it, and End left to the replay's controls.
    void setReplayOnly();
    // What the Capture menu offers to tail and monitor (set by the assembly from the cluster).
    void setSourceSuggestions(const QStringList &kafkaTopics, const QString &redisPattern);

    // "rows" (shown frames, decoded, newest last, at most maxTableRows), "sources", "counts",
    // "filter", "paused", "trace" (the newest message that reached every live replica).
    QJsonObject snapshotState(int maxTableRows = kSnapshotTableRows,
        SnapshotPurpose purpose = SnapshotPurpose::Snapshot) const override;

    inspect::MessageTrace traceOf(const QString &messageId) const;
    // The newest message id delivered on every live tap source (else the newest delivered).
    QString newestFullyDeliveredMessageId() const;

    TrafficTable *table() const { return m_table; }
    QLineEdit *filterEdit() const { return m_filter; }
    QLabel *filterError() const { return m_filterError; }
    QLineEdit *findEdit() const { return m_find; }
    QLabel *countsLabel() const { return m_counts; }
    TrafficSourcesLabel *sourcesLabel() const { return m_sourcesLabel; }
    TrafficDetailPane *detail() const { return m_detail; }
    HistoryChart *ratesChart() const { return m_rates; }
    TracePane *tracePane() const { return m_trace; }
    SequenceDiagram *sequence() const { return m_sequence; }
    QAction *pauseAction() const { return m_pause; }
    QAction *followAction() const { return m_follow; }
    bool applyFilterNow(); // the debounced filter, at once (tests, Enter)
    void addFilterTerm(const QString &term);
    bool findNext(bool forward);
    void traceSelected();
    void selectSeq(qint64 seq);
    QString countsText() const;

signals:
    void openCaptureRequested(const QString &path);
    void saveCaptureRequested(const QString &path, bool shownOnly);
    void backToLiveRequested();
    void stompProbeRequested(const sb::inspect::StompProbeSettings &settings);
    void sseProbeRequested(const sb::inspect::SseProbeSettings &settings);
    void probeSendRequested(const QString &destination, const QByteArray &body);
    void probeStopRequested();
    void redisMonitorRequested(const QString &pattern); // empty: stop it
    void kafkaTailRequested(
        const QStringList &topics, int startFrom, qint64 offset, const QDateTime &time); // no topics: stop

    void bufferCapacityRequested(qsizetype frames);

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void createActions();
    void unfoldDetails();
    void onSelectionChanged();
    void showSession(qint64 seq);
    void updateCounts();
    void scrollToNewestSoon();

    models::TrafficModel *m_model;
    const models::SeriesHistory *m_rateHistory;
    TrafficTable *m_table = nullptr;
    TrafficCaptureMenu *m_captureMenu = nullptr;
    QLineEdit *m_filter = nullptr;
    QLabel *m_filterError = nullptr;
    QLineEdit *m_find = nullptr;
    QLabel *m_findStatus = nullptr;
    QLabel *m_banner = nullptr;
    QToolButton *m_backToLive = nullptr;
    QToolButton *m_captureButton = nullptr;
    bool m_replayOnly = false;
    TrafficSourcesLabel *m_sourcesLabel = nullptr;
    QLabel *m_counts = nullptr;
    QTabWidget *m_tabs = nullptr;
    QSplitter *m_split = nullptr;
    TrafficDetailPane *m_detail = nullptr;
    TracePane *m_trace = nullptr;
    SequenceDiagram *m_sequence = nullptr;
    HistoryChart *m_rates = nullptr;
    QAction *m_pause = nullptr;
    QAction *m_follow = nullptr;
    QTimer m_filterDebounce;
    QTimer m_followTimer;
    QTimer m_countsTimer;
    QList<inspect::TapSourceStatus> m_sources;
    qint64 m_droppedByConsole = 0;
    bool m_offline = false;
    models::Freshness m_freshness; // live while any tap reads; stale once every tap is down
};

} // namespace sb::ui
