#include "ui/HistoryChart.h"

#include "models/SeriesHistory.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QPen>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>

#include <cmath>
#include <limits>

namespace sb::ui {

HistoryChart::HistoryChart(const sb::models::SeriesHistory *history, const QString &quantity, QWidget *parent)
    : QWidget(parent)
    , m_history(history)
    , m_quantity(quantity)
{
    m_chart = new QChart();
    m_chart->legend()->setAlignment(Qt::AlignRight);
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_timeAxis = new QDateTimeAxis(m_chart);
    m_timeAxis->setFormat(QStringLiteral("HH:mm:ss"));
    m_timeAxis->setTickCount(6);
    m_valueAxis = new QValueAxis(m_chart);
    m_valueAxis->setLabelFormat(QStringLiteral("%d"));
    m_valueAxis->setTitleText(quantity);
    m_chart->addAxis(m_timeAxis, Qt::AlignBottom);
    m_chart->addAxis(m_valueAxis, Qt::AlignLeft);

    m_total = new QLineSeries(m_chart);
    m_total->setName(QStringLiteral("total"));
    QPen pen(Qt::black);
    pen.setWidth(2);
    pen.setStyle(Qt::DashLine); // drawn over the lines: where it equals one, that one shows through
    m_total->setPen(pen);
    m_chart->addSeries(m_total);
    m_total->attachAxis(m_timeAxis);
    m_total->attachAxis(m_valueAxis);
    connect(m_total, &QLineSeries::hovered, this, [this](const QPointF &point, bool state) {
        if (state)
            showValueAt(m_total, point);
    });

    m_view = new QChartView(m_chart, this);
    m_view->setRenderHint(QPainter::Antialiasing, false); // cheaper; lines are 1-2 px
    m_view->setObjectName(QStringLiteral("historyChartView"));
    m_view->installEventFilter(this); // the axes follow the plot's room

    m_windowBox = new QComboBox(this);
    m_windowBox->setObjectName(QStringLiteral("chartWindow"));
    for (int minutes : windowChoicesMinutes())
        m_windowBox->addItem(QStringLiteral("%1 min").arg(minutes), minutes);
    m_windowBox->setCurrentIndex(int(windowChoicesMinutes().indexOf(m_windowMinutes)));
    connect(m_windowBox, &QComboBox::currentIndexChanged, this,
        [this](int index) { setWindowMinutes(m_windowBox->itemData(index).toInt()); });

    auto *bar = new QHBoxLayout;
    QString caption = quantity;
    if (!caption.isEmpty())
        caption[0] = caption[0].toUpper();
    bar->addWidget(new QLabel(caption + QStringLiteral(" over the last"), this));
    bar->addWidget(m_windowBox);
    bar->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);

    m_timer.setInterval(kRefreshMs);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        if (!m_inPass && m_dirty)
            beginPass();
        if (m_inPass)
            pushNext(kSeriesPerTick);
    });
}

void HistoryChart::setWindowMinutes(int minutes)
{
    if (!windowChoicesMinutes().contains(minutes) || minutes == m_windowMinutes)
        return;
    m_windowMinutes = minutes;
    const QSignalBlocker blocker(m_windowBox);
    m_windowBox->setCurrentIndex(int(windowChoicesMinutes().indexOf(minutes)));
    m_dirty = true;
}

QLineSeries *HistoryChart::seriesFor(const QString &id)
{
    auto it = m_series.constFind(id);
    if (it != m_series.cend())
        return *it;
    auto *series = new QLineSeries(m_chart);
    series->setName(id);
    m_chart->addSeries(series);
    series->attachAxis(m_timeAxis);
    series->attachAxis(m_valueAxis);
    connect(series, &QLineSeries::hovered, this, [this, series](const QPointF &point, bool state) {
        if (state)
            showValueAt(series, point);
    });
    m_series.insert(id, series);
    // The total stays the last line drawn (Qt Charts draws series in the order added).
    m_chart->removeSeries(m_total);
    m_chart->addSeries(m_total);
    m_total->attachAxis(m_timeAxis);
    m_total->attachAxis(m_valueAxis);
    styleLines();
    return series;
}

QPen HistoryChart::linePen(int index, int count, const QColor &colour)
{
    const int depth = count - 1 - index; // lines drawn after this one
    QPen pen(colour);
    pen.setWidth(1 + 2 * qMin(depth, 3));
    if (depth >= 3 && index % 2 == 1)
        pen.setStyle(Qt::DashLine);
    return pen;
}

void HistoryChart::styleLines()
{
    // In the order the lines were added (first-seen replica or group first), which is the
    // order they are drawn.
    const QStringList ids = m_history->seriesIds();
    const int count = int(m_series.size());
    int index = 0;
    for (const QString &id : ids) {
        QLineSeries *series = m_series.value(id);
        if (!series)
            continue;
        series->setPen(linePen(index++, count, series->color()));
    }
}

void HistoryChart::refresh()
{
    beginPass();
    pushNext(int(m_pending.size()));
}

void HistoryChart::beginPass()
{
    m_dirty = false;
    m_inPass = true;
    m_passEndMs
        = m_fixedEndMs > 0 ? m_fixedEndMs : qMax(m_history->latestMs(), QDateTime::currentMSecsSinceEpoch());
    m_windowStartMs = m_passEndMs - qint64(m_windowMinutes) * 60 * 1000;
    m_peak = 0;
    m_pending = m_history->seriesIds();
    m_pending.append(QString()); // the total
    m_seriesCount = m_pending.size();
    fitLegend();
}

bool HistoryChart::legendFits(int series, int width, int height, int lineHeight)
{
    // A legend of dozens of series costs more layout than it informs (the table names
    // them); beside a narrow plot it leaves no room for the lines, and in a short one its
    // entries are cut off: hovering a line names it instead.
    return series <= 13 && width >= 420 && series * (lineHeight + 6) + 24 <= height;
}

void HistoryChart::fitLegend()
{
    m_chart->legend()->setVisible(
        legendFits(m_seriesCount, m_view->width(), m_view->height(), m_view->fontMetrics().height()));
}

void HistoryChart::showValueAt(const QLineSeries *series, const QPointF &point)
{
    const QString when
        = QDateTime::fromMSecsSinceEpoch(qint64(point.x())).toString(QStringLiteral("HH:mm:ss"));
    QToolTip::showText(QCursor::pos(),
        QStringLiteral("%1: %2 %3 at %4")
            .arg(series->name(), QString::number(qRound64(point.y())), m_quantity, when),
        m_view);
}

void HistoryChart::pushNext(int count)
{
    for (; count > 0 && !m_pending.isEmpty(); --count) {
        const QString id = m_pending.takeFirst();
        if (id.isEmpty())
            m_history->totalPoints(m_windowStartMs, m_passEndMs, kMaxPoints, &m_buffer);
        else
            m_history->points(id, m_windowStartMs, m_passEndMs, kMaxPoints, &m_buffer);
        for (const QPointF &p : std::as_const(m_buffer))
            m_peak = qMax(m_peak, p.y());
        (id.isEmpty() ? m_total : seriesFor(id))->replace(m_buffer);
    }
    if (m_pending.isEmpty())
        finishPass();
}

void HistoryChart::finishPass()
{
    m_inPass = false;
    m_timeAxis->setRange(
        QDateTime::fromMSecsSinceEpoch(m_windowStartMs), QDateTime::fromMSecsSinceEpoch(m_passEndMs));
    const IntegerScale scale = integerScale(m_peak, m_maxValueSteps);
    m_valueAxis->setRange(0, double(scale.top));
    m_valueAxis->setTickCount(scale.ticks);
}

HistoryChart::IntegerScale HistoryChart::integerScale(double peak, int maxSteps)
{
    const double wanted = qMax(1.0, std::ceil(peak * 1.1));
    const int steps = qMax(1, maxSteps);
    for (qint64 decade = 1; decade <= std::numeric_limits<qint64>::max() / 100; decade *= 10) {
        for (qint64 factor : { 1, 2, 5 }) {
            const qint64 step = factor * decade;
            const qint64 count = qint64(std::ceil(wanted / double(step)));
            if (count <= steps)
                return { count * step, int(count) + 1 };
        }
    }
    return { qint64(wanted), 2 };
}

int HistoryChart::valueStepLimit(int height, int lineHeight)
{
    // The time axis and the margins take about three lines; a label wants two lines of room.
    return qBound(1, (height - 3 * lineHeight) / qMax(1, 2 * lineHeight), 5);
}

int HistoryChart::timeTickCount(int width, int labelWidth)
{
    // Each label wants its own width and as much again between neighbours.
    return qBound(2, width / qMax(1, 2 * labelWidth), 6);
}

bool HistoryChart::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view && event->type() == QEvent::Resize)
        fitAxes();
    return QWidget::eventFilter(watched, event);
}

void HistoryChart::fitAxes()
{
    const int labelWidth = m_view->fontMetrics().horizontalAdvance(QStringLiteral("00:00:00"));
    // The value axis and its title take about a fifth of the chart.
    m_timeAxis->setTickCount(timeTickCount(m_view->width() * 4 / 5, labelWidth));
    const int lineHeight = m_view->fontMetrics().height();
    m_maxValueSteps = valueStepLimit(m_view->height(), lineHeight);
    // The caption above names the quantity; the rotated title shows only where it fits
    // whole beside the margins, the plot's padding and the time labels. An empty title,
    // because setTitleVisible(false) still leaves an elided one drawn in Qt 6.4.
    const bool titleFits
        = m_view->height() > m_view->fontMetrics().horizontalAdvance(m_quantity) + 6 * lineHeight;
    m_valueAxis->setTitleText(titleFits ? m_quantity : QString());
    m_dirty = true; // the scale follows the new room
    fitLegend();
}

qsizetype HistoryChart::pointCount(const QString &id) const
{
    const QLineSeries *series = id.isEmpty() ? m_total : m_series.value(id);
    return series ? series->count() : 0;
}

QList<QPointF> HistoryChart::points(const QString &id) const
{
    const QLineSeries *series = id.isEmpty() ? m_total : m_series.value(id);
    return series ? series->points() : QList<QPointF>();
}

void HistoryChart::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_dirty = true;
    m_timer.start();
}

void HistoryChart::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_timer.stop(); // nobody sees it: no redraw work
}

} // namespace sb::ui
