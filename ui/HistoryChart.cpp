#include "ui/HistoryChart.h"

#include "models/ConnectionHistory.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QPen>
#include <QValueAxis>
#include <QVBoxLayout>

#include <cmath>

namespace sb::ui {

HistoryChart::HistoryChart(const sb::models::ConnectionHistory *history, const QString &quantity, QWidget *parent)
    : QWidget(parent)
    , m_history(history)
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
    m_total->setPen(pen);
    m_chart->addSeries(m_total);
    m_total->attachAxis(m_timeAxis);
    m_total->attachAxis(m_valueAxis);

    m_view = new QChartView(m_chart, this);
    m_view->setRenderHint(QPainter::Antialiasing, false); // cheaper; lines are 1-2 px
    m_view->setObjectName(QStringLiteral("historyChartView"));

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
    m_series.insert(id, series);
    return series;
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
    m_passEndMs = qMax(m_history->latestMs(), QDateTime::currentMSecsSinceEpoch());
    m_windowStartMs = m_passEndMs - qint64(m_windowMinutes) * 60 * 1000;
    m_peak = 0;
    m_pending = m_history->replicaIds();
    m_pending.append(QString()); // the total
    // A legend of dozens of replicas costs more layout than it informs: the table names them.
    m_chart->legend()->setVisible(m_pending.size() <= 13);
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
    m_timeAxis->setRange(QDateTime::fromMSecsSinceEpoch(m_windowStartMs), QDateTime::fromMSecsSinceEpoch(m_passEndMs));
    m_valueAxis->setRange(0, qMax(1.0, std::ceil(m_peak * 1.1)));
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
