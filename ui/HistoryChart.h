#pragma once

#include <QHash>
#include <QList>
#include <QPointF>
#include <QStringList>
#include <QTimer>
#include <QWidget>

class QChart;
class QChartView;
class QComboBox;
class QDateTimeAxis;
class QLineSeries;
class QValueAxis;
class QColor;
class QPen;

namespace sb::models {
class SeriesHistory;
}

namespace sb::ui {

// A quantity per series and in total over a selectable window (1/5/15/60 min), drawn from
// a SeriesHistory: connections per replica (Replicas) or lag per consumer group (Kafka). New data only marks
// the chart dirty; a 15 Hz timer pushes fixed point buffers (at most kMaxPoints per series) with
// QXYSeries::replace(), and that timer runs only while the chart is visible. Lines of equal values never hide
// each other: each line is narrower than the ones drawn before it (linePen), and the total, dashed, is drawn
// last, so equal lines show nested and the total shows over a lone replica's line.
class HistoryChart : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kMaxPoints = 600;
    static constexpr int kRefreshMs = 66;
    // Series pushed per timer tick: a 50-replica redraw is spread over a few ticks instead
    // of stalling the GUI thread for one long frame.
    static constexpr int kSeriesPerTick = 8;

    // `quantity` names the value axis and the caption, e.g. "connections".
    HistoryChart(
        const sb::models::SeriesHistory *history, const QString &quantity, QWidget *parent = nullptr);

    static QList<int> windowChoicesMinutes() { return { 1, 5, 15, 60 }; }

    // A value axis of whole numbers: 0 to `top` in `ticks` ticks a step of 1, 2 or 5 x 10^n
    // apart, at most `maxSteps` steps, with room above `peak` (ticks of 1.75 printed as
    // "%d" repeat).
    struct IntegerScale
    {
        qint64 top;
        int ticks;
    };
    static IntegerScale integerScale(double peak, int maxSteps = 5);
    // Steps whose labels fit a chart `height` pixels tall (Qt Charts elides crowded labels to "…").
    static int valueStepLimit(int height, int lineHeight);
    // Time labels ("HH:mm:ss") that fit a plot `width` pixels wide without eliding.
    static int timeTickCount(int width, int labelWidth);
    // Whether a legend of `series` entries fits a chart view of width x height.
    static bool legendFits(int series, int width, int height, int lineHeight);
    // The pen of the index-th of `count` lines (in the order they are drawn): widths 7, 5,
    // 3, 1 px for the last four, so equal lines nest; deeper ones are 7 px, every other one
    // dashed so the line beneath shows through its gaps.
    static QPen linePen(int index, int count, const QColor &colour);
    int windowMinutes() const { return m_windowMinutes; }
    void setWindowMinutes(int minutes);

    // Replay: the window ends at `ms` (a recording's position) instead of now; 0: live.
    void setEndMs(qint64 ms)
    {
        m_fixedEndMs = ms;
        m_dirty = true;
    }
    // New samples arrived: redraw at the next timer tick.
    void markDirty() { m_dirty = true; }
    // Pushes the current window to the series now (the timer calls this when dirty).
    void refresh();

    bool isRefreshing() const { return m_timer.isActive(); }
    // Points currently drawn for a series (empty id: the total), for tests and snapshots.
    qsizetype pointCount(const QString &id) const;
    QList<QPointF> points(const QString &id) const;
    qint64 windowStartMs() const { return m_windowStartMs; }

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QLineSeries *seriesFor(const QString &id);
    void styleLines();
    void beginPass();
    void pushNext(int count);
    void finishPass();
    void fitLegend();
    void fitAxes();
    void showValueAt(const QLineSeries *series, const QPointF &point);

    const sb::models::SeriesHistory *m_history;
    QString m_quantity;
    qsizetype m_seriesCount = 1; // the total and one per replica or group
    int m_maxValueSteps = 5;
    QChart *m_chart = nullptr;
    QChartView *m_view = nullptr;
    QComboBox *m_windowBox = nullptr;
    QDateTimeAxis *m_timeAxis = nullptr;
    QValueAxis *m_valueAxis = nullptr;
    QLineSeries *m_total = nullptr;
    QHash<QString, QLineSeries *> m_series;
    QList<QPointF> m_buffer; // reused for every series: no allocation per refresh
    QTimer m_timer;
    QStringList m_pending; // series still to push in this pass; the total is last (empty id)
    bool m_inPass = false;
    qint64 m_passEndMs = 0;
    qint64 m_fixedEndMs = 0; // setEndMs: replay
    double m_peak = 0;
    int m_windowMinutes = 5;
    qint64 m_windowStartMs = 0;
    bool m_dirty = true;
};

} // namespace sb::ui
