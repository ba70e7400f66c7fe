#include "ui/KafkaDeadLetterView.h"

#include "inspect/KafkaRecordFrame.h"
#include "models/KafkaTopicModel.h"
#include "protocol/TrafficFrame.h"
#include "ui/TrafficDetailPane.h"

#include <QAction>
#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMap>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace sb::ui {

using inspect::KafkaDeadLetterListing;
using inspect::KafkaDeadLetterRecord;
using inspect::KafkaDeadLetterRedriveReport;

namespace {

constexpr int kRecordIndexRole = Qt::UserRole + 1;

// The record as the Traffic area's detail pane reads a Kafka frame: where it sits, its key,
// then every header in order; the value as the body (pretty JSON when it is JSON).
protocol::TrafficFrame deadLetterFrame(const QString &topic, const KafkaDeadLetterRecord &record)
{
    inspect::KafkaRecordBytes fields;
    fields.topic = topic;
    fields.partition = record.partition;
    fields.offset = record.offset;
    fields.timestampMs = record.timestampMs;
    fields.hasKey = record.hasKey;
    fields.key = record.key;
    for (const auto &header : record.headers)
        fields.headers.append({ header.first, header.second });
    fields.value = record.value;
    fields.valueBytes = record.valueBytes;
    fields.valueCut = record.valueTruncated;
    const QString problem = record.redriveProblem();
    if (!problem.isEmpty())
        fields.notes.append({ QStringLiteral("(cannot be redriven)"), problem });
    if (!record.origin.note.isEmpty())
        fields.notes.append({ QStringLiteral("(unreadable headers)"), record.origin.note });
    protocol::TrafficFrame frame = inspect::KafkaRecordFrame::build(fields, record.value.size());
    frame.source = QStringLiteral("kafka");
    frame.command = QStringLiteral("DEAD LETTER");
    return frame;
}

// "1 record", "3 records" (no translator is loaded, so %n's "(s)" would show as is).
QString deadLetterCount(qsizetype n)
{
    return n == 1 ? QStringLiteral("1 record") : QStringLiteral("%1 records").arg(n);
}

QTableWidgetItem *deadLetterItem(const QString &text, const QString &tip = {})
{
    auto *item = new QTableWidgetItem(text);
    item->setToolTip(tip.isEmpty() ? text : tip);
    return item;
}

QTableWidgetItem *deadLetterNumber(qint64 value)
{
    auto *item = new QTableWidgetItem;
    if (value >= 0)
        item->setData(Qt::DisplayRole, value); // sorts as a number
    else
        item->setText(QStringLiteral("?"));
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

} // namespace

KafkaDeadLetterView::KafkaDeadLetterView(sb::models::KafkaTopicModel *topics, bool readOnly, QWidget *parent)
    : QWidget(parent)
    , m_topics(topics)
    , m_readOnly(readOnly)
{
    setObjectName(QStringLiteral("kafkaDeadLetterView"));
    m_topic = new QComboBox(this);
    m_topic->setObjectName(QStringLiteral("kafkaDeadLetterTopic"));
    m_topic->setMinimumContentsLength(28);
    m_topic->setToolTip(
        tr("The dead-letter topic (*.DLT) to list: each record in one is a message the cluster gave up on"));
    m_count = new QSpinBox(this);
    m_count->setObjectName(QStringLiteral("kafkaDeadLetterCount"));
    m_count->setRange(1, 1000);
    m_count->setValue(200);
    m_count->setPrefix(tr("last "));
    m_count->setToolTip(tr("How many of the newest records to list (at most 1000)"));

    m_load = new QAction(tr("Kafka: load the dead-letter topic's newest records"), this);
    m_load->setShortcut(QKeySequence(Qt::Key_F5));
    m_load->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_load->setToolTip(
        tr("Read the newest records of the topic again, without joining a consumer group (F5)"));
    addAction(m_load);
    connect(m_load, &QAction::triggered, this, &KafkaDeadLetterView::requestList);
    m_loadButton = new QPushButton(tr("Load"), this);
    m_loadButton->setObjectName(QStringLiteral("kafkaDeadLetterLoad"));
    m_loadButton->setToolTip(m_load->toolTip());
    connect(m_loadButton, &QPushButton::clicked, m_load, &QAction::trigger);

    // Named for Help → Keyboard Shortcuts, which lists actions by their text.
    m_redrive = new QAction(tr("Kafka: redrive the selected dead letters…"), this);
    m_redrive->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_redrive->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(m_redrive);
    connect(m_redrive, &QAction::triggered, this, &KafkaDeadLetterView::askRedrive);
    m_redriveButton = new QPushButton(tr("Redrive selected…"), this);
    m_redriveButton->setObjectName(QStringLiteral("kafkaDeadLetterRedrive"));
    connect(m_redriveButton, &QPushButton::clicked, m_redrive, &QAction::trigger);

    m_status = new QLabel(tr("Choose a dead-letter topic."), this);
    m_status->setObjectName(QStringLiteral("kafkaDeadLetterStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_table = new QTableWidget(0, ColumnCount, this);
    m_table->setObjectName(QStringLiteral("kafkaDeadLetterTable"));
    m_table->setHorizontalHeaderLabels({ tr("Time (UTC)"), tr("Partition"), tr("Offset"), tr("Key"),
        tr("Original topic"), tr("Orig. partition"), tr("Orig. offset"), tr("Error"), tr("Bytes") });
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setToolTip(tr("Select records (Shift/Ctrl for several), then Redrive selected… (Ctrl+R)"));
    m_detail = new TrafficDetailPane(this);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_topic, 1);
    bar->addWidget(m_count);
    bar->addWidget(m_loadButton);
    bar->addWidget(m_redriveButton);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_table);
    split->addWidget(m_detail);
    split->setSizes({ 260, 240 });
    split->setChildrenCollapsible(false);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_status);
    layout->addWidget(split, 1);

    connect(m_table, &QTableWidget::itemSelectionChanged, this, [this] {
        showSelected();
        updateActions();
    });
    connect(m_topic, &QComboBox::activated, this, &KafkaDeadLetterView::requestList);
    if (m_topics) {
        connect(m_topics, &QAbstractItemModel::modelReset, this, &KafkaDeadLetterView::refreshTopics);
        connect(m_topics, &QAbstractItemModel::rowsInserted, this, &KafkaDeadLetterView::refreshTopics);
    }
    refreshTopics();
    updateActions();
}

void KafkaDeadLetterView::refreshTopics()
{
    QStringList names;
    for (int row = 0; m_topics && row < m_topics->rowCount(); ++row) {
        if (m_topics->topic(row).deadLetter)
            names << m_topics->topic(row).name;
    }
    const QString current = m_topic->currentText();
    if (!current.isEmpty() && !names.contains(current))
        names << current; // chosen by name before a poll showed it: keep it
    std::sort(names.begin(), names.end());
    QStringList shown;
    for (int i = 0; i < m_topic->count(); ++i)
        shown << m_topic->itemText(i);
    if (shown == names)
        return;
    const QSignalBlocker block(m_topic);
    m_topic->clear();
    m_topic->addItems(names);
    m_topic->setCurrentIndex(std::max(0, int(names.indexOf(current))));
    updateActions();
}

void KafkaDeadLetterView::showTopic(const QString &topic)
{
    if (m_topic->findText(topic) < 0)
        m_topic->addItem(topic);
    m_topic->setCurrentIndex(m_topic->findText(topic));
    requestList();
}

void KafkaDeadLetterView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_listedTopic.isEmpty() && !m_busy && !currentTopic().isEmpty())
        requestList();
}

QString KafkaDeadLetterView::currentTopic() const
{
    return m_topic->currentText();
}

void KafkaDeadLetterView::requestList()
{
    const QString topic = currentTopic();
    if (topic.isEmpty())
        return;
    m_busy = true;
    setStatus(tr("Reading the last %1 records of %2…").arg(m_count->value()).arg(topic), false);
    updateActions();
    emit listRequested(topic, m_count->value());
}

void KafkaDeadLetterView::showListing(const KafkaDeadLetterListing &listing)
{
    m_busy = false;
    m_listedTopic = listing.topic;
    m_records = listing.records;
    m_table->setSortingEnabled(false);
    m_table->clearContents();
    m_table->setRowCount(int(m_records.size()));
    for (int row = 0; row < m_records.size(); ++row) {
        const KafkaDeadLetterRecord &r = m_records.at(row);
        const QString time = r.timestampMs >= 0 ? QDateTime::fromMSecsSinceEpoch(r.timestampMs, Qt::UTC)
                                                      .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"))
                                                : QStringLiteral("?");
        auto *first = deadLetterItem(time);
        first->setData(kRecordIndexRole, row);
        m_table->setItem(row, Time, first);
        m_table->setItem(row, Partition, deadLetterNumber(r.partition));
        m_table->setItem(row, Offset, deadLetterNumber(r.offset));
        m_table->setItem(row, Key, deadLetterItem(r.hasKey ? QString::fromUtf8(r.key) : tr("(none)")));
        const QString problem = r.redriveProblem();
        auto *origin = deadLetterItem(r.origin.topic.isEmpty() ? tr("(unknown)") : r.origin.topic,
            problem.isEmpty() ? r.origin.topic : tr("Cannot be redriven: %1").arg(problem));
        if (!problem.isEmpty())
            origin->setForeground(QColor(0x84, 0x20, 0x29));
        m_table->setItem(row, OriginalTopic, origin);
        m_table->setItem(row, OriginalPartition, deadLetterNumber(r.origin.partition));
        m_table->setItem(row, OriginalOffset, deadLetterNumber(r.origin.offset));
        m_table->setItem(row, Error, deadLetterItem(r.origin.error));
        m_table->setItem(row, Bytes, deadLetterNumber(r.valueBytes));
    }
    m_table->setSortingEnabled(true);
    m_table->resizeColumnsToContents();
    m_detail->clear();
    QString text = tr("%1: the newest %2 of %3 in the topic")
                       .arg(listing.topic, deadLetterCount(m_records.size()))
                       .arg(listing.recordsInTopic);
    if (!listing.error.isEmpty())
        text += u" — " + listing.error;
    setStatus(text, !listing.error.isEmpty());
    updateActions();
}

QList<KafkaDeadLetterRecord> KafkaDeadLetterView::selectedRecords() const
{
    QList<KafkaDeadLetterRecord> records;
    const QModelIndexList rows = m_table->selectionModel()->selectedRows(Time);
    for (const QModelIndex &index : rows) {
        const int at = index.data(kRecordIndexRole).toInt();
        if (at >= 0 && at < m_records.size())
            records.append(m_records.at(at));
    }
    return records;
}

void KafkaDeadLetterView::showSelected()
{
    const QModelIndex current = m_table->currentIndex();
    const int at
        = current.isValid() ? m_table->item(current.row(), Time)->data(kRecordIndexRole).toInt() : -1;
    if (at < 0 || at >= m_records.size()) {
        m_detail->clear();
        return;
    }
    m_detail->showFrame(deadLetterFrame(m_listedTopic, m_records.at(at)));
}

QString KafkaDeadLetterView::confirmationText(
    const QString &dltTopic, const QList<KafkaDeadLetterRecord> &records)
{
    QMap<QString, int> to;
    int cannot = 0;
    for (const KafkaDeadLetterRecord &record : records) {
        if (record.redriveProblem().isEmpty())
            ++to[record.origin.topic];
        else
            ++cannot;
    }
    int going = 0;
    QStringList lines;
    for (auto it = to.cbegin(); it != to.cend(); ++it) {
        going += it.value();
        lines << u"• " + deadLetterCount(it.value()) + u" to " + it.key();
    }
    QString text
        = QStringLiteral("Redrive %1 from %2 to their original topic?").arg(deadLetterCount(going), dltTopic);
    if (!lines.isEmpty())
        text += u"\n\n" + lines.join(u'\n');
    if (cannot > 0)
        text += u"\n\n"
            + QStringLiteral(
                "%1 selected cannot be redriven (no usable original topic, or a value too large to keep) "
                "and will be skipped.")
                  .arg(deadLetterCount(cannot));
    text += u"\n\n" + tr("Their consumers will process them again.");
    return text;
}

void KafkaDeadLetterView::askRedrive()
{
    if (m_readOnly || m_busy || m_confirmation)
        return;
    const QList<KafkaDeadLetterRecord> records = selectedRecords();
    if (records.isEmpty())
        return;
    const QString topic = m_listedTopic;
    m_confirmation = new QMessageBox(QMessageBox::Question, tr("Redrive dead letters"),
        confirmationText(topic, records), QMessageBox::Cancel, this);
    m_confirmation->setObjectName(QStringLiteral("kafkaRedriveConfirmation"));
    QPushButton *go = m_confirmation->addButton(tr("Redrive"), QMessageBox::AcceptRole);
    go->setObjectName(QStringLiteral("kafkaRedriveConfirm"));
    m_confirmation->setDefaultButton(QMessageBox::Cancel); // sending to a live topic is never the default
    m_confirmation->setAttribute(Qt::WA_DeleteOnClose);
    m_confirmation->setWindowModality(Qt::WindowModal);
    connect(m_confirmation, &QMessageBox::finished, this, [this, go, topic, records] {
        const bool accepted = m_confirmation && m_confirmation->clickedButton() == go;
        m_confirmation = nullptr;
        if (!accepted || m_readOnly)
            return;
        m_busy = true;
        setStatus(QStringLiteral("Redriving %1 from %2…").arg(deadLetterCount(records.size()), topic), false);
        updateActions();
        emit redriveRequested(topic, records);
    });
    m_confirmation->open(); // asynchronous: no nested event loop
}

void KafkaDeadLetterView::showRedriveReport(const KafkaDeadLetterRedriveReport &report)
{
    m_busy = false;
    const bool bad = !report.refused.isEmpty() || report.failed > 0;
    setStatus(report.summary(), bad);
    updateActions();
}

void KafkaDeadLetterView::updateActions()
{
    const bool haveTopic = !currentTopic().isEmpty();
    m_load->setEnabled(haveTopic && !m_busy);
    m_loadButton->setEnabled(m_load->isEnabled());
    const int selected = int(m_table->selectionModel()->selectedRows().size());
    m_redrive->setEnabled(!m_readOnly && !m_busy && selected > 0);
    m_redriveButton->setEnabled(m_redrive->isEnabled());
    const QString tip = m_readOnly
        ? tr("Read-only profile: redrive is off")
        : tr("Send the selected records back to the topic their headers name, after a confirmation (Ctrl+R)");
    m_redrive->setToolTip(tip);
    m_redriveButton->setToolTip(tip);
}

void KafkaDeadLetterView::setStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("QLabel { color: #842029; }") : QString());
}

QString KafkaDeadLetterView::statusText() const
{
    return m_status->text();
}

} // namespace sb::ui
