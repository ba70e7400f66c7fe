#include "ui/TrafficTable.h"

#include "models/TrafficModel.h"

#include <QHeaderView>
#include <QMenu>

namespace sb::ui {

using models::TrafficModel;

TrafficTable::TrafficTable(TrafficModel *model, QWidget *parent)
    : QTableView(parent)
    , m_model(model)
{
    setObjectName(QStringLiteral("trafficTable"));
    setModel(model);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    verticalHeader()->hide();
    verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 4);
    setWordWrap(false);
    setTextElideMode(Qt::ElideMiddle);
    horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    // Not the last column (Bytes) but Destination takes the spare width: see giveSpareWidthToDestination().
    horizontalHeader()->setStretchLastSection(false);
    const QFontMetrics metrics = fontMetrics();
    const auto width = [&metrics](int column, const char *sample) {
        return qMax(metrics.horizontalAdvance(QString::fromLatin1(sample)),
                   metrics.horizontalAdvance(TrafficModel::columnName(column)) + 12)
            + 16;
    };
    setColumnWidth(TrafficModel::Time, width(TrafficModel::Time, "00:00:00.000"));
    setColumnWidth(TrafficModel::Source, width(TrafficModel::Source, "node-00"));
    setColumnWidth(TrafficModel::Transport, width(TrafficModel::Transport, "stomp"));
    setColumnWidth(TrafficModel::Direction, width(TrafficModel::Direction, "← out"));
    setColumnWidth(TrafficModel::Command, width(TrafficModel::Command, "UNSUBSCRIBE"));
    setColumnWidth(TrafficModel::Destination, width(TrafficModel::Destination, "/topic/channels.general"));
    setColumnWidth(TrafficModel::User, width(TrafficModel::User, "alice"));
    setColumnWidth(TrafficModel::Session, width(TrafficModel::Session, "s-00000000"));
    setColumnWidth(TrafficModel::MessageId, width(TrafficModel::MessageId, "0000000000000000-000000"));
    m_destinationMinWidth = columnWidth(TrafficModel::Destination);
    setColumnWidth(TrafficModel::Bytes, width(TrafficModel::Bytes, "1048576"));
    connect(horizontalHeader(), &QHeaderView::sectionResized, this, [this](int column, int, int) {
        if (m_fitting)
            return;
        if (column == TrafficModel::Destination)
            m_destinationSizedByUser = true;
        else
            giveSpareWidthToDestination();
    });
    // Right-click a cell: the filter on every column, without typing its field name.
    setContextMenuPolicy(Qt::CustomContextMenu);
    connect(this, &QTableView::customContextMenuRequested, this, &TrafficTable::showContextMenu);
}

void TrafficTable::resizeEvent(QResizeEvent *event)
{
    QTableView::resizeEvent(event);
    giveSpareWidthToDestination();
}

void TrafficTable::giveSpareWidthToDestination()
{
    if (m_destinationSizedByUser)
        return;
    int others = 0;
    for (int column = 0; column < TrafficModel::ColumnCount; ++column)
        if (column != TrafficModel::Destination && !isColumnHidden(column))
            others += columnWidth(column);
    m_fitting = true;
    setColumnWidth(TrafficModel::Destination, qMax(m_destinationMinWidth, viewport()->width() - others));
    m_fitting = false;
}

void TrafficTable::showContextMenu(const QPoint &at)
{
    const QModelIndex index = indexAt(at);
    const QString term = m_model->filterTermFor(index);
    if (term.isEmpty())
        return;
    QMenu menu(this);
    menu.addAction(tr("Only %1").arg(term), this, [this, term] { emit filterTermChosen(term); });
    menu.addAction(tr("Exclude %1").arg(term), this, [this, term] { emit filterTermChosen(u'-' + term); });
    if (const auto *frame = m_model->frameAt(index.row()); frame && !frame->messageId.isEmpty())
        menu.addAction(tr("Trace this message"), this, [this, index] {
            setCurrentIndex(index); // the row clicked, not the one selected before
            emit traceRequested();
        });
    menu.exec(viewport()->mapToGlobal(at));
}

} // namespace sb::ui
