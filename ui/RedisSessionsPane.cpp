#include "ui/RedisSessionsPane.h"

#include "models/SessionModel.h"

#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QGraphicsLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>
#include <QValueAxis>

namespace sb::ui {

namespace {
QTableView *makeTable(QAbstractItemModel *model, const QString &name, QWidget *parent)
{
    auto *table = new QTableView(parent);
    table->setObjectName(name);
    table->setModel(model);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setWordWrap(false);
    table->verticalHeader()->hide();
    table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    table->horizontalHeader()->setStretchLastSection(true);
    return table;
}
} // namespace

RedisSessionsPane::RedisSessionsPane(models::SessionModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_summary(new QLabel(tr("Reading sessions…"), this))
    , m_table(makeTable(model, QStringLiteral("sessionTable"), this))
    , m_perReplica(makeTable(model->perReplicaModel(), QStringLiteral("sessionsPerReplica"), this))
    , m_perUser(makeTable(model->perUserModel(), QStringLiteral("sessionsPerUser"), this))
    , m_chart(new QChart)
    , m_sessions(new QLineSeries)
    , m_tokens(new QLineSeries)
    , m_timeAxis(new QDateTimeAxis)
    , m_countAxis(new QValueAxis)
    , m_timer(new QTimer(this))
{
    setObjectName(QStringLiteral("redisSessionsPane"));
    m_summary->setObjectName(QStringLiteral("sessionSummary"));
    m_table->setToolTip(tr("sb:session:* (one per client connection) and sb:token:* (issued tokens), "
                           "re-read every few seconds"));
    m_perReplica->setToolTip(tr("Sessions per replica: a skew here means sticky or unbalanced routing"));

    m_sessions->setName(tr("sessions"));
    m_tokens->setName(tr("tokens"));
    m_chart->addSeries(m_sessions);
    m_chart->addSeries(m_tokens);
    m_timeAxis->setFormat(QStringLiteral("HH:mm:ss"));
    m_countAxis->setLabelFormat(QStringLiteral("%d"));
    m_countAxis->setMin(0);
    m_chart->addAxis(m_timeAxis, Qt::AlignBottom);
    m_chart->addAxis(m_countAxis, Qt::AlignLeft);
    for (QLineSeries *series : { m_sessions, m_tokens }) {
        series->attachAxis(m_timeAxis);
        series->attachAxis(m_countAxis);
    }
    // In the Redis area of a 1280x800 window the chart gets its minimum height: with a title
    // above, the legend below and Qt's default margins its plot was 19 px high and every
    // time label "...". The legend goes beside the plot, the title into the tooltip (the
    // legend and the time axis say what is drawn), and the margins shrink.
    m_chart->legend()->setAlignment(Qt::AlignRight);
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_chart->layout()->setContentsMargins(0, 0, 0, 0);
    auto *chartView = new QChartView(m_chart, this); // takes ownership of the chart
    chartView->setObjectName(QStringLiteral("sessionsChart"));
    chartView->setToolTip(tr("Sessions and tokens over time"));
    chartView->setMinimumHeight(160);

    auto *counts = new QSplitter(Qt::Horizontal, this);
    counts->addWidget(m_perReplica);
    counts->addWidget(m_perUser);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_table);
    splitter->addWidget(counts);
    splitter->addWidget(chartView);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(splitter, 1);

    m_timer->setInterval(1000);
    connect(m_timer, &QTimer::timeout, this, &RedisSessionsPane::tick);
    connect(m_model, &models::SessionModel::snapshotApplied, this, [this] {
        m_chartDirty = true;
        updateSummary();
    });
}

bool RedisSessionsPane::chartTimerActive() const
{
    return m_timer->isActive();
}

int RedisSessionsPane::chartPointCount() const
{
    return int(m_sessions->count());
}

void RedisSessionsPane::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_timer->start();
    tick();
}

void RedisSessionsPane::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_timer->stop(); // a hidden chart costs nothing
}

void RedisSessionsPane::tick()
{
    const int first = m_table->rowAt(0);
    if (first >= 0) {
        const int last = m_table->rowAt(m_table->viewport()->height() - 1);
        m_model->tickTtl(first, last < 0 ? m_model->rowCount() - 1 : last);
    }
    if (m_chartDirty)
        redrawChart();
}

void RedisSessionsPane::updateSummary()
{
    QString text = tr("%L1 sessions on %L2 replicas, %L3 users; %L4 tokens")
                       .arg(m_model->sessionCount())
                       .arg(m_model->sessionsPerReplica().size())
                       .arg(m_model->sessionsPerUser().size())
                       .arg(m_model->tokenCount());
    if (!m_model->lastError().isEmpty())
        text += tr(" (last read failed: %1)").arg(m_model->lastError());
    m_summary->setText(text);
}

void RedisSessionsPane::redrawChart()
{
    m_chartDirty = false;
    const QList<QPointF> sessions = m_model->sessionHistory().points();
    const QList<QPointF> tokens = m_model->tokenHistory().points();
    m_sessions->replace(sessions);
    m_tokens->replace(tokens);
    if (sessions.isEmpty())
        return;
    double top = 1;
    for (const QList<QPointF> *series : { &sessions, &tokens })
        for (const QPointF &p : *series)
            top = qMax(top, p.y());
    const qint64 start = qint64(sessions.constFirst().x());
    const qint64 end = qMax<qint64>(qint64(sessions.constLast().x()), start + 60000);
    m_timeAxis->setRange(QDateTime::fromMSecsSinceEpoch(start), QDateTime::fromMSecsSinceEpoch(end));
    m_countAxis->setRange(0, top * 1.1);
}

} // namespace sb::ui
