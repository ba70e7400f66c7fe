#pragma once

#include <QWidget>

class QChart;
class QDateTimeAxis;
class QLabel;
class QLineSeries;
class QTableView;
class QTimer;
class QValueAxis;

namespace sb::models {
class SessionModel;
}

namespace sb::ui {

// The Sessions lens: every session and token in Redis (user, replica, transport, since,
// TTL counting down), sessions per replica and per user, and a chart of the session and
// token counts over time. The chart's series are replaced from the model's fixed-size
// history once a second, and that timer runs only while the pane is visible.
class RedisSessionsPane : public QWidget
{
    Q_OBJECT

public:
    explicit RedisSessionsPane(models::SessionModel *model, QWidget *parent = nullptr);

    QTableView *table() const { return m_table; }
    bool chartTimerActive() const;
    int chartPointCount() const;

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void tick();
    void updateSummary();
    void redrawChart();

    models::SessionModel *m_model;
    QLabel *m_summary;
    QTableView *m_table;
    QTableView *m_perReplica;
    QTableView *m_perUser;
    QChart *m_chart;
    QLineSeries *m_sessions;
    QLineSeries *m_tokens;
    QDateTimeAxis *m_timeAxis;
    QValueAxis *m_countAxis;
    QTimer *m_timer;
    bool m_chartDirty = true;
};

} // namespace sb::ui
