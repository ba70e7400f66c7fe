#include "ui/KafkaView.h"

#include "models/KafkaGroupModel.h"
#include "models/KafkaPartitionModel.h"
#include "models/KafkaTopicModel.h"
#include "models/SeriesHistory.h"
#include "ui/ColumnFitter.h"
#include "ui/ElidedLabel.h"
#include "ui/HistoryChart.h"
#include "ui/KafkaDeadLetterView.h"
#include "ui/StaleBanner.h"
#include "ui/TableRows.h"

#include <QAction>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace sb::ui {

using sb::models::KafkaGroupModel;
using sb::models::KafkaPartitionModel;
using sb::models::KafkaTopicModel;

namespace {

QLabel *banner(const QString &objectName, const QString &style, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setStyleSheet(style);
    label->hide();
    return label;
}

} // namespace

KafkaView::KafkaView(KafkaGroupModel *groups, KafkaPartitionModel *partitions, KafkaTopicModel *topics,
    const sb::models::SeriesHistory *lagHistory, QWidget *parent)
    : QWidget(parent)
    , m_groups(groups)
{
    setObjectName(QStringLiteral("kafkaView"));
    m_groupProxy = new QSortFilterProxyModel(this);
    m_groupProxy->setSourceModel(groups);
    m_groupTable = makeTable(m_groupProxy, QStringLiteral("kafkaGroupTable"), KafkaGroupModel::SortRole,
        { KafkaGroupModel::Group });
    m_groupTable->setSelectionMode(QAbstractItemView::SingleSelection);
    m_groupTable->setToolTip(
        QStringLiteral("Select a group to see its partitions; Esc shows every group's."));

    m_partitionProxy = new QSortFilterProxyModel(this);
    m_partitionProxy->setSourceModel(partitions);
    m_partitionProxy->setFilterRole(KafkaPartitionModel::GroupIdRole);
    m_partitionProxy->setFilterKeyColumn(KafkaPartitionModel::Group);
    m_partitionTable = makeTable(m_partitionProxy, QStringLiteral("kafkaPartitionTable"),
        KafkaPartitionModel::SortRole, { KafkaPartitionModel::Group, KafkaPartitionModel::Topic });
    m_partitionFitter = m_partitionTable->findChild<ColumnFitter *>();

    m_topicProxy = new QSortFilterProxyModel(this);
    m_topicProxy->setSourceModel(topics);
    m_topicTable = makeTable(m_topicProxy, QStringLiteral("kafkaTopicTable"), KafkaTopicModel::SortRole,
        { KafkaTopicModel::Topic });

    m_figures = new QLabel(QStringLiteral("Waiting for the first poll…"), this);
    m_figures->setObjectName(QStringLiteral("kafkaFigures"));
    // One line (the whole note in its tooltip): wrapped, the mock cluster's note took three
    // lines of a 1280x800 window's Kafka area, and its tables two rows each.
    m_note = new ElidedLabel(this);
    m_note->setObjectName(QStringLiteral("kafkaGroupsNote"));
    m_note->setStyleSheet(QStringLiteral("QLabel { background: #e7f1ff; color: #084298; padding: 3px; }"));
    m_note->hide();
    m_error = banner(QStringLiteral("kafkaError"),
        QStringLiteral("QLabel { background: #f8d7da; color: #842029; padding: 3px; }"), this);
    m_partitionCaption = new QLabel(this);
    m_chart = new HistoryChart(lagHistory, QStringLiteral("lag (messages)"), this);

    auto *partitionPane = new QWidget(this);
    auto *partitionLayout = new QVBoxLayout(partitionPane);
    partitionLayout->setContentsMargins(0, 0, 0, 0);
    partitionLayout->addWidget(m_partitionCaption);
    partitionLayout->addWidget(m_partitionTable, 1);
    // Stacked, each at the area's full width: a partition row has eight columns, and the
    // figures must not scroll out of sight beside the chart.
    auto *groupsPage = new QSplitter(Qt::Vertical, this);
    groupsPage->addWidget(m_groupTable);
    groupsPage->addWidget(partitionPane);
    groupsPage->addWidget(m_chart);
    // Weights: the room is shared in these proportions. At a 1280x800 window each table
    // shows 4 rows or more (130/200/190 left the groups 2–3) and the chart keeps its axis.
    groupsPage->setSizes({ 190, 190, 130 });
    groupsPage->setChildrenCollapsible(false);

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("kafkaTabs"));
    m_tabs->addTab(groupsPage, QStringLiteral("Consumer &groups"));
    m_tabs->addTab(m_topicTable, QStringLiteral("&Topics"));
    m_tabs->setTabToolTip(
        0, QStringLiteral("Lag per group and partition, judged with Burrow's rules (Alt+G)"));
    m_tabs->setTabToolTip(
        1, QStringLiteral("Topics, their messages and produce rate; dead-letter topics in red (Alt+T)"));

    m_stale = new StaleBanner(QStringLiteral("Kafka"), this);
    m_stale->cover(m_figures);
    m_stale->cover(m_tabs);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stale);
    layout->addWidget(m_figures);
    layout->addWidget(m_error);
    layout->addWidget(m_note);
    layout->addWidget(m_tabs, 1);

    connect(m_groupTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex &current) {
            selectGroup(
                current.isValid() ? current.data(KafkaGroupModel::GroupIdRole).toString() : QString());
        });
    // A named action, not a bare QShortcut, so Help → Keyboard Shortcuts lists it.
    auto *showAll = new QAction(QStringLiteral("Kafka: show every group's partitions"), m_groupTable);
    showAll->setShortcut(QKeySequence(Qt::Key_Escape));
    showAll->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_groupTable->addAction(showAll);
    connect(showAll, &QAction::triggered, this, [this] {
        m_groupTable->selectionModel()->clear();
        selectGroup(QString());
    });
    // A reset (groups came or went) drops the selection: show every group's partitions.
    connect(groups, &QAbstractItemModel::modelReset, this, [this] { selectGroup(QString()); });
    selectGroup(QString());
}

void KafkaView::addDeadLetters(KafkaDeadLetterView *view)
{
    const int tab = m_tabs->addTab(view, QStringLiteral("Dead &letters"));
    m_tabs->setTabToolTip(tab,
        QStringLiteral("Records of a *.DLT topic with the origin and error their headers "
                       "name; redrive selected ones (Alt+L)"));
    m_topicTable->setToolTip(QStringLiteral("Double-click a dead-letter topic (red) to list its records"));
    connect(
        m_topicTable, &QAbstractItemView::doubleClicked, view, [this, view, tab](const QModelIndex &index) {
            if (!index.data(KafkaTopicModel::DeadLetterRole).toBool())
                return;
            m_tabs->setCurrentIndex(tab);
            view->showTopic(index.siblingAtColumn(KafkaTopicModel::Topic).data().toString());
        });
}

QTableView *KafkaView::makeTable(
    QSortFilterProxyModel *proxy, const QString &objectName, int sortRole, const QList<int> &nameColumns)
{
    proxy->setSortRole(sortRole);
    proxy->setDynamicSortFilter(true); // keeps the user's sort as figures change each poll
    auto *table = new QTableView(this);
    table->setObjectName(objectName);
    table->setModel(proxy);
    table->setSortingEnabled(true);
    table->sortByColumn(0, Qt::AscendingOrder);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setAlternatingRowColors(true);
    table->verticalHeader()->hide();
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 6);
    // Measured when rows arrive, never on each poll (ResizeToContents would measure every
    // cell of 2,000 partitions on each dataChanged).
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    table->horizontalHeader()->setStretchLastSection(true);
    new ColumnFitter(table, nameColumns);
    return table;
}

void KafkaView::selectGroup(const QString &id)
{
    m_selectedGroup = id;
    m_partitionProxy->setFilterFixedString(id);
    // The caption names the selected group: its column would only repeat it.
    if (m_partitionTable->isColumnHidden(KafkaPartitionModel::Group) != !id.isEmpty()) {
        m_partitionTable->setColumnHidden(KafkaPartitionModel::Group, !id.isEmpty());
        m_partitionFitter->fit(); // the topic may now have the room the group had
    }
    m_partitionCaption->setText(id.isEmpty()
            ? QStringLiteral("Partitions of every group (select a group to narrow)")
            : QStringLiteral("Partitions of %1").arg(id));
}

void KafkaView::showFigures(const sb::models::KafkaFigures &latest)
{
    const QString retry = QStringLiteral("retrying in %1 s").arg((latest.retryInMs + 999) / 1000);
    m_errorText = latest.reachable ? QString()
                                   : QStringLiteral("Kafka is unreachable: %1 — %2").arg(latest.error, retry);
    if (latest.reachable) {
        m_last = latest;
        m_freshness = sb::models::Freshness::live(latest.at);
    } else if (m_last.reachable) {
        // The zeros of a failed poll would be a made-up cluster: the last answer stays, dated.
        m_freshness = m_freshness.stopped(latest.at.isValid() ? latest.at : QDateTime::currentDateTimeUtc(),
            latest.error + QStringLiteral("; ") + retry);
    } else {
        m_last = latest; // nothing answered yet: nothing to date
    }
    m_stale->setFreshness(m_freshness);
    // With a picture to date, the banner says it all; without one, the red line does.
    m_error->setVisible(!latest.reachable && !m_freshness.stale);
    m_error->setText(m_errorText);
    const sb::models::KafkaFigures &f = m_last;
    m_note->setVisible(f.reachable && !f.groupsNote.isEmpty());
    m_note->setFullText(f.groupsNote);
    if (!f.reachable && f.polls > 0 && m_groups->rowCount() == 0) {
        m_figures->setText(QStringLiteral("No answer from Kafka yet."));
    } else {
        // Down and retired groups are named only when there are some: the departed
        // replicas' groups, which a rolling restart leaves behind.
        QString departed;
        if (f.groupsDown > 0)
            departed += QStringLiteral(", %1 down").arg(f.groupsDown);
        if (f.groupsRetired > 0)
            departed += QStringLiteral(", %1 retired").arg(f.groupsRetired);
        m_figures->setText(
            QStringLiteral("%1 brokers · %2 topics · %3 partitions · %4 groups (%5 in error, %6 lagging%7) · "
                           "total lag %8 · %9 dead-lettered · polled in %10 ms")
                .arg(QString::number(f.brokers), QString::number(f.topics), QString::number(f.partitions),
                    QString::number(f.groups), QString::number(f.groupsInError),
                    QString::number(f.groupsLagging), departed, QString::number(f.totalLag),
                    QString::number(f.deadLetters), QString::number(f.pollMs)));
    }
    m_chart->markDirty();
}

QString KafkaView::figuresText() const
{
    return m_figures->text();
}

QString KafkaView::noteText() const
{
    return m_note->isHidden() ? QString() : m_note->fullText();
}

QJsonObject KafkaView::snapshotState(int maxTableRows, SnapshotPurpose) const
{
    const QJsonArray groups = tableRows(m_groupTable, maxTableRows);
    QJsonObject figures = m_last.toJson();
    if (m_freshness.stale) { // the last answer's figures, from a cluster that does not answer now
        figures.insert(QStringLiteral("reachable"), false);
        figures.insert(QStringLiteral("error"), m_freshness.reason);
    }
    QJsonObject state { { QStringLiteral("figures"), figures },
        { QStringLiteral("rows"), groups }, // every area's primary table, under the same key
        { QStringLiteral("figuresText"), m_figures->text() }, { QStringLiteral("groups"), groups },
        { QStringLiteral("partitions"), tableRows(m_partitionTable, maxTableRows) },
        { QStringLiteral("topics"), tableRows(m_topicTable, maxTableRows) },
        { QStringLiteral("groupColumns"), tableColumns(m_groupTable) },
        { QStringLiteral("partitionColumns"), tableColumns(m_partitionTable) },
        { QStringLiteral("topicColumns"), tableColumns(m_topicTable) },
        { QStringLiteral("note"), noteText() }, { QStringLiteral("error"), m_errorText },
        { QStringLiteral("selectedGroup"), m_selectedGroup },
        { QStringLiteral("chartWindowMinutes"), m_chart->windowMinutes() } };
    const QJsonObject age = m_freshness.toJson();
    for (auto it = age.begin(); it != age.end(); ++it)
        state.insert(it.key(), it.value());
    return state;
}

} // namespace sb::ui
