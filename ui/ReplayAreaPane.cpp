#include "ui/ReplayAreaPane.h"

#include "ui/HistoryChart.h"
#include "ui/RecordedTableModel.h"
#include "ui/TableRows.h"

#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace sb::ui {

ReplayAreaPane::ReplayAreaPane(
    QList<Table> tables, const models::SeriesHistory *history, const QString &quantity, QWidget *parent)
    : QWidget(parent)
    , m_tables(std::move(tables))
{
    m_figures = new QLabel(this);
    m_figures->setWordWrap(true);
    m_figures->setTextInteractionFlags(Qt::TextSelectableByMouse);

    QWidget *tablesWidget = nullptr;
    auto *tabs = m_tables.size() > 1 ? new QTabWidget(this) : nullptr;
    for (const Table &table : std::as_const(m_tables)) {
        auto *model = new RecordedTableModel(table.preferredColumns, this);
        auto *proxy = new QSortFilterProxyModel(this);
        proxy->setSourceModel(model);
        auto *view = new QTableView(this);
        view->setModel(proxy);
        view->setSortingEnabled(false); // the recorded order is the order the operator saw
        view->setSelectionBehavior(QAbstractItemView::SelectRows);
        view->setEditTriggers(QAbstractItemView::NoEditTriggers);
        view->setWordWrap(false);
        view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
        view->verticalHeader()->hide();
        view->horizontalHeader()->setStretchLastSection(true);
        view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
        m_models << model;
        m_views << view;
        if (tabs)
            tabs->addTab(view, table.title);
        else
            tablesWidget = view;
    }
    if (tabs)
        tablesWidget = tabs;

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_figures);
    if (history) {
        m_chart = new HistoryChart(history, quantity, this);
        auto *split = new QSplitter(Qt::Vertical, this);
        split->addWidget(tablesWidget);
        split->addWidget(m_chart);
        split->setStretchFactor(0, 1); // the chart as tall as the table: its labels need the room
        split->setStretchFactor(1, 1);
        split->setChildrenCollapsible(false);
        layout->addWidget(split, 1);
    } else if (tablesWidget) {
        layout->addWidget(tablesWidget, 1);
    }
}

void ReplayAreaPane::addBody(QWidget *body)
{
    static_cast<QVBoxLayout *>(layout())->addWidget(body, 1);
}

QString ReplayAreaPane::figuresLine(const QJsonObject &areaState)
{
    if (areaState.isEmpty())
        return QStringLiteral("Not in this sample (the area was not recorded then).");
    if (areaState.value(QStringLiteral("showing")).toString() == u"empty") // what the area said then
        return QStringLiteral("%1 %2")
            .arg(areaState.value(QStringLiteral("message")).toString(),
                areaState.value(QStringLiteral("detail")).toString())
            .trimmed();
    QString line = areaState.value(QStringLiteral("figuresText")).toString();
    if (line.isEmpty()) {
        QStringList parts;
        const QJsonObject figures = areaState.value(QStringLiteral("figures")).toObject();
        for (auto it = figures.begin(); it != figures.end(); ++it) {
            if (it.value().isObject() || it.value().isArray())
                continue; // per-replica breakdowns are in the tables
            parts << QStringLiteral("%1 %2").arg(it.key(), RecordedTableModel::cellText(it.value()));
        }
        line = parts.join(QStringLiteral(" · "));
    }
    if (areaState.value(QStringLiteral("stale")).toBool()) {
        line = QStringLiteral("STALE (as of %1) — %2")
                   .arg(QDateTime::fromString(
                            areaState.value(QStringLiteral("asOf")).toString(), Qt::ISODateWithMs)
                            .toLocalTime()
                            .toString(QStringLiteral("HH:mm:ss")),
                       line);
    }
    return line;
}

void ReplayAreaPane::showState(const QJsonObject &areaState, const QDateTime &at)
{
    m_state = areaState;
    m_figures->setText(figuresLine(areaState));
    m_figures->setToolTip(m_figures->text());
    for (int i = 0; i < m_tables.size(); ++i) {
        const Table &table = m_tables.at(i);
        const QStringList columns = areaState.value(table.columnsKey).toVariant().toStringList();
        m_models[i]->setRows(areaState.value(table.rowsKey).toArray(), columns);
    }
    setPosition(at);
}

void ReplayAreaPane::setPosition(const QDateTime &at)
{
    if (m_chart && at.isValid())
        m_chart->setEndMs(at.toMSecsSinceEpoch());
}

void ReplayAreaPane::refreshChart()
{
    if (m_chart)
        m_chart->refresh();
}

void ReplayAreaPane::setFiguresText(const QString &text)
{
    m_figures->setText(text);
    m_figures->setToolTip(text);
}

QString ReplayAreaPane::figuresText() const
{
    return m_figures->text();
}

QJsonObject ReplayAreaPane::snapshotState(int maxTableRows, SnapshotPurpose) const
{
    QJsonObject state = m_state;
    for (int i = 0; i < m_tables.size(); ++i)
        state.insert(m_tables.at(i).rowsKey, tableRows(m_views.at(i), maxTableRows));
    state.insert(QStringLiteral("figuresShown"), m_figures->text());
    return state;
}

} // namespace sb::ui
