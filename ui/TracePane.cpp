#include "ui/TracePane.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

namespace sb::ui {

using inspect::MessageTrace;
using inspect::TraceHop;

namespace {

QTableWidget *traceTable(const QStringList &headers, const QString &name, QWidget *parent)
{
    auto *table = new QTableWidget(0, int(headers.size()), parent);
    table->setObjectName(name);
    table->setHorizontalHeaderLabels(headers);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setStretchLastSection(true);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setWordWrap(false);
    return table;
}

void setTraceCell(QTableWidget *table, int row, int column, const QString &text)
{
    auto *item = new QTableWidgetItem(text);
    item->setToolTip(text);
    table->setItem(row, column, item);
}

} // namespace

TracePane::TracePane(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("tracePane"));
    m_id = new QLineEdit(this);
    m_id->setObjectName(QStringLiteral("traceMessageId"));
    m_id->setPlaceholderText(tr("message id"));
    m_id->setToolTip(tr("A message-id to follow through the capture; Enter traces it"));
    m_id->setClearButtonEnabled(true);
    auto *go = new QPushButton(tr("Trace"), this);
    go->setToolTip(tr("Every hop of this message id across the replicas, and who missed it"));
    auto request = [this] {
        if (!m_id->text().trimmed().isEmpty())
            emit traceRequested(m_id->text().trimmed());
    };
    connect(go, &QPushButton::clicked, this, request);
    connect(m_id, &QLineEdit::returnPressed, this, request);

    m_summary = new QLabel(tr("Select a frame with a message id and press Trace (Ctrl+T)."), this);
    m_summary->setObjectName(QStringLiteral("traceSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_hops = traceTable({ tr("Latency"), tr("Time"), tr("Replica"), tr("Hop"), tr("Command"),
                            tr("Destination"), tr("Session"), tr("User"), tr("Detail") },
        QStringLiteral("traceHops"), this);
    m_hops->horizontalHeaderItem(0)->setToolTip(
        tr("Since the publish (the SEND or HTTP POST), by the sources' clocks: "
           "a Kafka record's produce time can precede the node's publish frame"));
    connect(m_hops, &QTableWidget::cellDoubleClicked, this, [this](int row, int) {
        if (row >= 0 && row < m_trace.hops.size())
            emit hopActivated(m_trace.hops[row].seq);
    });
    m_missedTitle = new QLabel(this);
    m_missed = traceTable(
        { tr("Replica"), tr("Session"), tr("User"), tr("Transport"), tr("Subscribed to"), tr("Why") },
        QStringLiteral("traceMissed"), this);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_id, 1);
    bar->addWidget(go);
    auto *missedBox = new QWidget(this);
    auto *missedLayout = new QVBoxLayout(missedBox);
    missedLayout->setContentsMargins(0, 0, 0, 0);
    missedLayout->addWidget(m_missedTitle);
    missedLayout->addWidget(m_missed);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_hops);
    split->addWidget(missedBox);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addLayout(bar);
    layout->addWidget(m_summary);
    layout->addWidget(split, 1);
    m_missedTitle->setText(tr("Subscribers who did not receive it"));
}

QString TracePane::summaryText() const
{
    return m_summary->text();
}

void TracePane::showTrace(const MessageTrace &trace)
{
    m_trace = trace;
    m_id->setText(trace.messageId);
    if (trace.isEmpty()) {
        m_summary->setText(tr("No frame in the capture carries message id %1.").arg(trace.messageId));
    } else {
        QString text = tr("%1 hops · delivered on %2 · %3 missed")
                           .arg(QString::number(trace.hops.size()),
                               trace.deliveredSources().join(QStringLiteral(", ")),
                               QString::number(trace.missed.size()));
        if (!trace.channel.isEmpty())
            text = tr("channel %1 · ").arg(trace.channel) + text;
        if (!trace.notes.isEmpty())
            text += QStringLiteral("\n") + trace.notes.join(QStringLiteral("\n"));
        m_summary->setText(text);
    }
    m_hops->setRowCount(int(trace.hops.size()));
    for (int row = 0; row < trace.hops.size(); ++row) {
        const TraceHop &hop = trace.hops[row];
        setTraceCell(m_hops, row, 0, hop.latencyText());
        setTraceCell(m_hops, row, 1,
            QDateTime::fromMSecsSinceEpoch(hop.tsMs).toString(QStringLiteral("HH:mm:ss.zzz")));
        setTraceCell(m_hops, row, 2, hop.source);
        setTraceCell(m_hops, row, 3, TraceHop::kindName(hop.kind));
        setTraceCell(m_hops, row, 4, hop.command);
        setTraceCell(m_hops, row, 5, hop.destination);
        setTraceCell(m_hops, row, 6, hop.session);
        setTraceCell(m_hops, row, 7, hop.user);
        setTraceCell(m_hops, row, 8, hop.detail);
    }
    m_hops->resizeColumnsToContents();
    m_missed->setRowCount(int(trace.missed.size()));
    for (int row = 0; row < trace.missed.size(); ++row) {
        const auto &missed = trace.missed[row];
        setTraceCell(m_missed, row, 0, missed.source);
        setTraceCell(m_missed, row, 1, missed.session);
        setTraceCell(m_missed, row, 2, missed.user);
        setTraceCell(m_missed, row, 3, missed.transport);
        setTraceCell(m_missed, row, 4, missed.destination);
        setTraceCell(m_missed, row, 5, missed.reason);
    }
    m_missed->resizeColumnsToContents();
    m_missedTitle->setText(trace.missed.isEmpty()
            ? tr("Every subscriber the capture knows of received it.")
            : tr("Subscribers who did not receive it: %1").arg(trace.missed.size()));
}

} // namespace sb::ui
