#include "ui/TrafficView.h"

#include "inspect/TraceAssembler.h"
#include "models/ConnectionHistory.h"
#include "models/TrafficModel.h"
#include "ui/HistoryChart.h"
#include "ui/KafkaTailDialog.h"
#include "ui/ProbeDialog.h"
#include "ui/SequenceDiagram.h"
#include "ui/TracePane.h"
#include "ui/TrafficDetailPane.h"

#include <QAction>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QResizeEvent>
#include <QScrollArea>
#include <QScrollBar>
#include <QSet>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace sb::ui {

using inspect::TapSourceStatus;
using models::TrafficModel;
using protocol::TrafficFilter;
using protocol::TrafficFrame;

namespace {

constexpr int kFilterDebounceMs = 200;
constexpr int kFollowMs = 100; // scroll to the newest row at most 10 times a second

QString stateColour(TapSourceStatus::State state)
{
    switch (state) {
    case TapSourceStatus::State::Live: return QStringLiteral("#2e7d32");
    case TapSourceStatus::State::Lagging: return QStringLiteral("#ef6c00");
    case TapSourceStatus::State::Connecting: return QStringLiteral("#757575");
    case TapSourceStatus::State::Refused:
    case TapSourceStatus::State::Down: return QStringLiteral("#c62828");
    case TapSourceStatus::State::Stopped: return QStringLiteral("#9e9e9e");
    }
    return {};
}

QToolButton *trafficButton(QAction *action, QWidget *parent)
{
    auto *button = new QToolButton(parent);
    button->setDefaultAction(action);
    button->setToolButtonStyle(Qt::ToolButtonTextOnly);
    return button;
}

} // namespace

TrafficView::TrafficView(TrafficModel *model, const models::ConnectionHistory *rates, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_rateHistory(rates)
{
    setObjectName(QStringLiteral("trafficView"));
    createActions();

    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("trafficFilter"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setPlaceholderText(tr("Filter (Ctrl+L): words, \"phrases\", /regex/, user:alice, cmd=SEND, dest:/topic/…, -dir=in, bytes>1000"));
    m_filter->setToolTip(tr("<p>Every term must match; the filter applies while capture continues.</p>"
                            "<p><b>word</b> any column or the body · <b>\"a phrase\"</b> · <b>/regex/</b> · "
                            "<b>field:text</b>, <b>field=exact</b>, <b>field:/regex/</b> · <b>bytes&gt;N</b> · "
                            "<b>-term</b> negates.</p><p>Fields: source (replica), transport, dir, command, "
                            "destination, user, session, id, body, header.NAME.</p>"));
    m_filterError = new QLabel(this);
    m_filterError->setObjectName(QStringLiteral("trafficFilterError"));
    m_filterError->setStyleSheet(QStringLiteral("QLabel { color: #c62828; }"));
    m_filterError->hide();
    m_filterDebounce.setSingleShot(true);
    m_filterDebounce.setInterval(kFilterDebounceMs);
    connect(&m_filterDebounce, &QTimer::timeout, this, &TrafficView::applyFilterNow);
    connect(m_filter, &QLineEdit::textChanged, this, [this] { m_filterDebounce.start(); });
    connect(m_filter, &QLineEdit::returnPressed, this, &TrafficView::applyFilterNow);

    m_find = new QLineEdit(this);
    m_find->setObjectName(QStringLiteral("trafficFind"));
    m_find->setClearButtonEnabled(true);
    m_find->setPlaceholderText(tr("Find (Ctrl+F)"));
    m_find->setToolTip(tr("Find a shown frame (same language as the filter); F3 next, Shift+F3 previous"));
    m_find->setMaximumWidth(220);
    connect(m_find, &QLineEdit::returnPressed, this, [this] { findNext(true); });
    m_findStatus = new QLabel(this);

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(m_filter, 1);
    bar->addWidget(trafficButton(m_pause, this));
    bar->addWidget(trafficButton(m_follow, this));
    bar->addWidget(m_find);
    bar->addWidget(m_findStatus);
    auto *more = new QToolButton(this);
    more->setText(tr("Capture"));
    more->setToolTip(tr("Open or save a capture, clear, size the buffer, start a probe"));
    more->setPopupMode(QToolButton::InstantPopup);
    for (QAction *action : actions())
        if (action != m_pause && action != m_follow && !action->text().isEmpty() && action->property("menu").toBool())
            more->addAction(action);
    bar->addWidget(more);

    m_banner = new QLabel(this);
    m_banner->setObjectName(QStringLiteral("trafficBanner"));
    m_banner->setStyleSheet(QStringLiteral("QLabel { background: #e3f2fd; color: #0d47a1; padding: 3px; font-weight: bold; }"));
    m_banner->setWordWrap(true);
    m_backToLive = new QToolButton(this);
    m_backToLive->setText(tr("Back to live"));
    m_backToLive->setToolTip(tr("Close the capture file and show the live cluster again"));
    connect(m_backToLive, &QToolButton::clicked, this, &TrafficView::backToLiveRequested);
    auto *bannerRow = new QHBoxLayout;
    bannerRow->setContentsMargins(0, 0, 0, 0);
    bannerRow->addWidget(m_banner, 1);
    bannerRow->addWidget(m_backToLive);
    setBanner({}, false);

    m_sourcesLabel = new QLabel(tr("No traffic source yet."), this);
    m_sourcesLabel->setObjectName(QStringLiteral("trafficSources"));
    m_sourcesLabel->setWordWrap(true);
    m_sourcesLabel->setTextFormat(Qt::RichText);
    m_counts = new QLabel(this);
    m_counts->setObjectName(QStringLiteral("trafficCounts"));
    m_counts->setWordWrap(true);

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("trafficTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->verticalHeader()->hide();
    // Fixed row heights and no word wrap: a 200,000-row table scrolls without measuring rows.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 4);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideMiddle);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setStretchLastSection(true);
    const QFontMetrics metrics = m_table->fontMetrics();
    // Each column fits its header and a typical value, whichever is wider.
    const auto width = [&metrics](int column, const char *sample) {
        return qMax(metrics.horizontalAdvance(QString::fromLatin1(sample)),
                    metrics.horizontalAdvance(TrafficModel::columnName(column)) + 12) + 16;
    };
    m_table->setColumnWidth(TrafficModel::Time, width(TrafficModel::Time, "00:00:00.000"));
    m_table->setColumnWidth(TrafficModel::Source, width(TrafficModel::Source, "node-00"));
    m_table->setColumnWidth(TrafficModel::Transport, width(TrafficModel::Transport, "stomp"));
    m_table->setColumnWidth(TrafficModel::Direction, width(TrafficModel::Direction, "← out"));
    m_table->setColumnWidth(TrafficModel::Command, width(TrafficModel::Command, "UNSUBSCRIBE"));
    m_table->setColumnWidth(TrafficModel::Destination, width(TrafficModel::Destination, "/topic/channels.general"));
    m_table->setColumnWidth(TrafficModel::User, width(TrafficModel::User, "alice"));
    m_table->setColumnWidth(TrafficModel::Session, width(TrafficModel::Session, "s-00000000"));
    m_table->setColumnWidth(TrafficModel::MessageId, width(TrafficModel::MessageId, "0000000000000000-000000"));
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &TrafficView::onSelectionChanged);
    // Right-click a cell: narrow the filter to its value, or exclude it (the filter on every
    // column, without typing its field name).
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_table, &QTableView::customContextMenuRequested, this, [this](const QPoint &at) {
        const QModelIndex index = m_table->indexAt(at);
        const QString term = filterTermFor(index);
        if (term.isEmpty())
            return;
        QMenu menu(this);
        menu.addAction(tr("Only %1").arg(term), this, [this, term] { addFilterTerm(term); });
        menu.addAction(tr("Exclude %1").arg(term), this, [this, term] { addFilterTerm(u'-' + term); });
        if (const TrafficFrame *frame = m_model->frameAt(index.row()); frame && !frame->messageId.isEmpty())
            menu.addAction(tr("Trace this message"), this, &TrafficView::traceSelected);
        menu.exec(m_table->viewport()->mapToGlobal(at));
    });
    connect(m_table->verticalScrollBar(), &QScrollBar::valueChanged, this, [this](int value) {
        // Scrolling up to read stops following; End (or the button) follows again.
        if (m_follow->isChecked() && value < m_table->verticalScrollBar()->maximum() - 2 && m_table->isVisible()
            && !m_followTimer.isActive())
            m_follow->setChecked(false);
    });
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &TrafficView::scrollToNewestSoon);
    m_followTimer.setSingleShot(true);
    m_followTimer.setInterval(kFollowMs);
    connect(&m_followTimer, &QTimer::timeout, this, [this] {
        if (m_follow->isChecked())
            m_table->scrollToBottom();
    });

    m_detail = new TrafficDetailPane(this);
    m_trace = new TracePane(this);
    m_sequence = new SequenceDiagram(this);
    auto *sequenceScroll = new QScrollArea(this);
    sequenceScroll->setWidget(m_sequence);
    sequenceScroll->setWidgetResizable(true);
    m_rates = new HistoryChart(rates, tr("frames/s"), this);
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("trafficTabs"));
    m_tabs->addTab(m_detail, tr("Frame"));
    m_tabs->addTab(m_trace, tr("Trace"));
    m_tabs->addTab(sequenceScroll, tr("Session"));
    m_tabs->addTab(m_rates, tr("Rates"));
    m_tabs->setTabToolTip(0, tr("The selected frame, decoded"));
    m_tabs->setTabToolTip(1, tr("Every hop of the selected frame's message id, and who missed it (Ctrl+T)"));
    m_tabs->setTabToolTip(2, tr("The selected frame's session as a ladder: client ↔ replica"));
    m_tabs->setTabToolTip(3, tr("Frames per second per replica and transport"));
    connect(m_detail, &TrafficDetailPane::traceRequested, this, [this](const QString &id) {
        m_trace->showTrace(traceOf(id));
        m_tabs->setCurrentWidget(m_trace);
    });
    connect(m_trace, &TracePane::traceRequested, this, [this](const QString &id) { m_trace->showTrace(traceOf(id)); });
    connect(m_trace, &TracePane::hopActivated, this, &TrafficView::selectSeq);
    connect(m_sequence, &SequenceDiagram::frameActivated, this, &TrafficView::selectSeq);

    m_split = new QSplitter(Qt::Horizontal, this);
    m_split->setObjectName(QStringLiteral("trafficSplit"));
    m_split->addWidget(m_table);
    m_split->addWidget(m_tabs);
    m_split->setStretchFactor(0, 3);
    m_split->setStretchFactor(1, 2);
    m_split->setCollapsible(0, false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addLayout(bar);
    layout->addWidget(m_filterError);
    layout->addLayout(bannerRow);
    layout->addWidget(m_sourcesLabel);
    layout->addWidget(m_split, 1);
    layout->addWidget(m_counts);

    // Counts change with every batch: the label is redrawn at most 4 times a second.
    m_countsTimer.setSingleShot(true);
    m_countsTimer.setInterval(250);
    connect(&m_countsTimer, &QTimer::timeout, this, &TrafficView::updateCounts);
    connect(m_model, &TrafficModel::countsChanged, this, [this] {
        if (!m_countsTimer.isActive())
            m_countsTimer.start();
    });
    updateCounts();
}

void TrafficView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    // Side by side the table needs ~700 px for its first columns and the frame pane ~400:
    // narrower, the frame pane goes under the table, folded until a frame is selected, so
    // the table keeps its rows.
    const Qt::Orientation wanted = width() >= 1100 ? Qt::Horizontal : Qt::Vertical;
    if (m_split->orientation() == wanted)
        return;
    m_split->setOrientation(wanted);
    if (wanted == Qt::Horizontal) {
        m_split->setSizes({width() * 3 / 5, width() * 2 / 5});
    } else {
        const bool selected = m_table->currentIndex().isValid();
        m_split->setSizes({height(), selected ? height() * 2 / 3 : 0});
    }
}

void TrafficView::unfoldDetails()
{
    const QList<int> sizes = m_split->sizes();
    if (sizes.size() == 2 && sizes[1] == 0) {
        const int total = sizes[0];
        m_split->setSizes({total * 11 / 20, total * 9 / 20});
    }
}

void TrafficView::createActions()
{
    auto add = [this](const QString &text, const QKeySequence &keys, const QString &tip, bool inMenu,
                      const std::function<void()> &slot) {
        auto *action = new QAction(text, this);
        action->setShortcut(keys);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut); // never another area's keys
        action->setToolTip(keys.isEmpty() ? tip : QStringLiteral("%1 (%2)").arg(tip, keys.toString(QKeySequence::NativeText)));
        action->setProperty("menu", inMenu);
        if (slot)
            connect(action, &QAction::triggered, this, slot);
        addAction(action);
        return action;
    };
    m_pause = add(tr("Pause view"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P),
                  tr("Freeze the table while capture keeps filling the buffer"), false, nullptr);
    m_pause->setCheckable(true);
    connect(m_pause, &QAction::toggled, this, [this](bool paused) {
        m_model->setPaused(paused);
        m_pause->setText(paused ? tr("Resume view") : tr("Pause view"));
        updateCounts();
    });
    m_follow = add(tr("Follow newest"), QKeySequence(Qt::Key_End), tr("Keep the newest frame in sight"), false, nullptr);
    m_follow->setCheckable(true);
    m_follow->setChecked(true);
    connect(m_follow, &QAction::toggled, this, [this](bool on) {
        if (on)
            m_table->scrollToBottom();
    });
    add(tr("Focus the traffic filter"), QKeySequence(Qt::CTRL | Qt::Key_L), tr("Type a filter"), false, [this] {
        m_filter->setFocus();
        m_filter->selectAll();
    });
    add(tr("Find a frame"), QKeySequence(Qt::CTRL | Qt::Key_F), tr("Find a shown frame"), false, [this] {
        m_find->setFocus();
        m_find->selectAll();
    });
    add(tr("Find next frame"), QKeySequence(Qt::Key_F3), tr("Next match"), false, [this] { findNext(true); });
    add(tr("Find previous frame"), QKeySequence(Qt::SHIFT | Qt::Key_F3), tr("Previous match"), false, [this] { findNext(false); });
    add(tr("Trace the selected message"), QKeySequence(Qt::CTRL | Qt::Key_T),
        tr("Every hop of the selected frame's message id"), true, [this] { traceSelected(); });
    add(tr("Copy the selected frame"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C),
        tr("The frame's summary, headers and body as text"), true, [this] { m_detail->copyFrame(); });
    add(tr("Open capture…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O),
        tr("Open a traffic capture (JSON Lines) offline, with filters and trace"), true, [this] { chooseOpenFile(); });
    add(tr("Save capture…"), QKeySequence(), tr("Save every captured frame as JSON Lines"), true, [this] { chooseSaveFile(false); });
    add(tr("Export shown frames…"), QKeySequence(), tr("Save only the frames the filter shows"), true,
        [this] { chooseSaveFile(true); });
    add(tr("Clear capture"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_K), tr("Forget every captured frame"), true,
        [this] { m_model->clear(); m_detail->clear(); m_sequence->clear(); });
    add(tr("Buffer size…"), QKeySequence(), tr("How many frames the capture keeps"), true, [this] { chooseCapacity(); });
    add(tr("Monitor Redis pub/sub…"), QKeySequence(), tr("PSUBSCRIBE a pattern (the stage-2 bus by default); messages join the timeline"),
        true, [this] { chooseRedisPattern(); });
    add(tr("Stop the Redis monitor"), QKeySequence(), tr("Stop reading Redis pub/sub"), true,
        [this] { emit redisMonitorRequested({}); });
    add(tr("Tail Kafka topics…"), QKeySequence(), tr("Read topics from latest, earliest, an offset or a time, never joining a group"),
        true, [this] { chooseKafkaTail(); });
    add(tr("Stop the Kafka tail"), QKeySequence(), tr("Stop reading Kafka topics"), true,
        [this] { emit kafkaTailRequested({}, 0, 0, {}); });
    add(tr("Probe an endpoint…"), QKeySequence(),
        tr("Connect a STOMP (or SockJS) or SSE client of your own to any URL; its frames join the timeline"), true,
        [this] { chooseProbe(); });
    add(tr("Send with the probe…"), QKeySequence(), tr("SEND a frame through the running STOMP probe"), true,
        [this] { chooseProbeSend(); });
    add(tr("Stop the probe"), QKeySequence(), tr("Close the probe's connection"), true, [this] { emit probeStopRequested(); });
}

QString TrafficView::filterTermFor(const QModelIndex &index) const
{
    const TrafficFrame *frame = index.isValid() ? m_model->frameAt(index.row()) : nullptr;
    if (!frame)
        return {};
    QString field;
    switch (index.column()) {
    case TrafficModel::Source: field = QStringLiteral("source"); break;
    case TrafficModel::Transport: field = QStringLiteral("transport"); break;
    case TrafficModel::Direction: field = QStringLiteral("dir"); break;
    case TrafficModel::Command: field = QStringLiteral("cmd"); break;
    case TrafficModel::Destination: field = QStringLiteral("dest"); break;
    case TrafficModel::User: field = QStringLiteral("user"); break;
    case TrafficModel::Session: field = QStringLiteral("session"); break;
    case TrafficModel::MessageId: field = QStringLiteral("id"); break;
    default: return {};
    }
    QString value = index.column() == TrafficModel::Direction ? TrafficFrame::directionName(frame->direction)
                  : index.column() == TrafficModel::Transport ? TrafficFrame::transportName(frame->transport)
                                                              : TrafficModel::columnText(*frame, index.column());
    if (value.isEmpty())
        return {};
    // Quoted when it holds a space or a quote, so the term reads back as one value.
    if (value.contains(u' ') || value.contains(u'"') || value.startsWith(u'/'))
        value = u'"' + QString(value).replace(u'\\', QStringLiteral("\\\\")).replace(u'"', QStringLiteral("\\\"")) + u'"';
    return field + u'=' + value;
}

void TrafficView::addFilterTerm(const QString &term)
{
    const QString current = m_filter->text().trimmed();
    m_filter->setText(current.isEmpty() ? term : current + u' ' + term);
    applyFilterNow();
}

bool TrafficView::applyFilterNow()
{
    m_filterDebounce.stop();
    TrafficFilter::Error error;
    const auto filter = TrafficFilter::parse(m_filter->text(), &error);
    if (!filter) {
        m_filterError->setText(tr("Filter not applied: %1 (at character %2)").arg(error.message).arg(error.position + 1));
        m_filterError->show();
        m_filter->setStyleSheet(QStringLiteral("QLineEdit { border: 1px solid #c62828; }"));
        return false;
    }
    m_filterError->hide();
    m_filter->setStyleSheet(QString());
    if (filter->expression() != m_model->filter().expression()) {
        m_model->setFilter(*filter);
        if (m_follow->isChecked())
            m_table->scrollToBottom();
    }
    return true;
}

bool TrafficView::findNext(bool forward)
{
    TrafficFilter::Error error;
    const auto what = TrafficFilter::parse(m_find->text(), &error);
    if (!what || what->isEmpty()) {
        m_findStatus->setText(what ? QString() : tr("bad search: %1").arg(error.message));
        return false;
    }
    const int from = m_table->currentIndex().isValid() ? m_table->currentIndex().row() : (forward ? -1 : 0);
    const int row = m_model->findRow(*what, from < 0 ? m_model->rowCount() - 1 : from, forward);
    if (row < 0) {
        m_findStatus->setText(tr("not found"));
        return false;
    }
    m_findStatus->clear();
    m_follow->setChecked(false);
    m_table->setCurrentIndex(m_model->index(row, TrafficModel::Command));
    m_table->scrollTo(m_model->index(row, 0));
    return true;
}

void TrafficView::selectSeq(qint64 seq)
{
    const int row = m_model->rowOfSeq(seq);
    if (row < 0)
        return;
    m_follow->setChecked(false);
    m_table->setCurrentIndex(m_model->index(row, TrafficModel::Command));
    m_table->scrollTo(m_model->index(row, 0), QAbstractItemView::PositionAtCenter);
}

void TrafficView::onSelectionChanged()
{
    const TrafficFrame *frame = m_model->frameAt(m_table->currentIndex().row());
    if (!frame) {
        m_detail->clear();
        return;
    }
    m_detail->showFrame(*frame);
    showSession(frame->seq);
    unfoldDetails();
}

void TrafficView::showSession(qint64 seq)
{
    const TrafficFrame *selected = m_model->buffer()->bySeq(seq);
    if (!selected || selected->session.isEmpty()) {
        m_sequence->clear();
        return;
    }
    const QString source = selected->source;
    const QString session = selected->session;
    QList<TrafficFrame> frames;
    const auto *buffer = m_model->buffer();
    for (qsizetype i = 0; i < buffer->size(); ++i) {
        const TrafficFrame &frame = buffer->at(i);
        if (frame.session == session && frame.source == source)
            frames.append(frame);
    }
    const QString client = selected->user.isEmpty() ? tr("client") : tr("client (%1)").arg(selected->user);
    m_sequence->setSession(client, tr("%1 · %2").arg(source, session), frames);
}

void TrafficView::traceSelected()
{
    const TrafficFrame *frame = m_model->frameAt(m_table->currentIndex().row());
    if (!frame || frame->messageId.isEmpty()) {
        m_trace->showTrace(inspect::MessageTrace{});
        m_tabs->setCurrentWidget(m_trace);
        return;
    }
    m_trace->showTrace(traceOf(frame->messageId));
    m_tabs->setCurrentWidget(m_trace);
    unfoldDetails();
}

inspect::MessageTrace TrafficView::traceOf(const QString &messageId) const
{
    const auto *buffer = m_model->buffer();
    return inspect::TraceAssembler::assemble(
        messageId,
        [buffer](const std::function<bool(const TrafficFrame &)> &visit) {
            for (qsizetype i = 0; i < buffer->size(); ++i)
                if (!visit(buffer->at(i)))
                    return;
        },
        m_sources);
}

QString TrafficView::newestFullyDeliveredMessageId() const
{
    QSet<QString> live;
    for (const TapSourceStatus &source : m_sources)
        if (source.kind == u"tap" && (source.state == TapSourceStatus::State::Live || source.state == TapSourceStatus::State::Lagging))
            live.insert(source.id);
    const auto *buffer = m_model->buffer();
    QHash<QString, QSet<QString>> deliveredOn;
    QString newestDelivered;
    for (qsizetype i = buffer->size() - 1; i >= 0; --i) {
        const TrafficFrame &frame = buffer->at(i);
        if (frame.messageId.isEmpty() || frame.direction != TrafficFrame::Direction::Out)
            continue;
        if (!(frame.command == u"MESSAGE" || frame.transport == TrafficFrame::Transport::Sse))
            continue;
        if (newestDelivered.isEmpty())
            newestDelivered = frame.messageId;
        QSet<QString> &on = deliveredOn[frame.messageId];
        on.insert(frame.source);
        if (!live.isEmpty() && on.contains(live))
            return frame.messageId;
    }
    return newestDelivered;
}

void TrafficView::setSources(const QList<TapSourceStatus> &sources, qint64 droppedByConsole)
{
    m_sources = sources;
    m_droppedByConsole = droppedByConsole;
    // The capture is as fresh as its last live tap; with every tap down it is stale.
    QStringList down;
    bool anyTap = false, anyLive = false;
    for (const TapSourceStatus &source : sources) {
        if (source.kind != u"tap")
            continue;
        anyTap = true;
        if (source.state == TapSourceStatus::State::Live || source.state == TapSourceStatus::State::Lagging)
            anyLive = true;
        else
            down.append(source.id + QStringLiteral(": ") + source.detail);
    }
    if (anyLive)
        m_freshness = models::Freshness::live(QDateTime::currentDateTimeUtc());
    else if (anyTap && m_freshness.asOf.isValid())
        m_freshness = m_freshness.stopped(QDateTime::currentDateTimeUtc(), down.join(QStringLiteral("; ")));
    if (sources.isEmpty()) {
        m_sourcesLabel->setText(tr("No traffic source yet."));
    } else {
        QStringList parts;
        QStringList tips;
        for (const TapSourceStatus &source : sources) {
            QString part = QStringLiteral("<span style='color:%1'>●</span> %2 %3")
                               .arg(stateColour(source.state), source.id.toHtmlEscaped(),
                                    TapSourceStatus::stateName(source.state));
            if (source.droppedBySource > 0)
                part += tr(" (%1 dropped by the node)").arg(QLocale().toString(source.droppedBySource));
            parts.append(part);
            tips.append(QStringLiteral("%1 (%2): %3, since %4; %5 frames%6")
                            .arg(source.id, source.kind, TapSourceStatus::stateName(source.state),
                                 source.since.toLocalTime().toString(QStringLiteral("HH:mm:ss")),
                                 QLocale().toString(source.frames),
                                 source.detail.isEmpty() ? QString() : QStringLiteral(" — ") + source.detail));
        }
        m_sourcesLabel->setText(parts.join(QStringLiteral(" &nbsp; ")));
        m_sourcesLabel->setToolTip(tips.join(u'\n'));
    }
    if (!m_countsTimer.isActive())
        m_countsTimer.start();
}

void TrafficView::setBanner(const QString &text, bool offline)
{
    m_offline = offline;
    m_banner->setText(text);
    m_banner->setVisible(!text.isEmpty());
    m_backToLive->setVisible(offline);
}

QString TrafficView::bannerText() const
{
    return m_banner->isVisible() ? m_banner->text() : QString();
}

QString TrafficView::countsText() const
{
    const auto *buffer = m_model->buffer();
    qint64 droppedByNodes = 0;
    for (const TapSourceStatus &source : m_sources)
        droppedByNodes += source.droppedBySource;
    const QLocale locale;
    QString text = tr("captured %1 · shown %2 · dropped by the console %3 · dropped by the nodes %4 · "
                      "buffer %5 of %6 frames (%7 MiB)")
                       .arg(locale.toString(buffer->nextSeq() - 1), locale.toString(m_model->rowCount()),
                            locale.toString(m_droppedByConsole), locale.toString(droppedByNodes),
                            locale.toString(buffer->size()), locale.toString(buffer->capacity()),
                            QString::number(double(buffer->approximateBytes()) / (1024.0 * 1024.0), 'f', 1));
    if (buffer->evicted() > 0)
        text += tr(" · %1 oldest aged out").arg(locale.toString(buffer->evicted()));
    if (m_model->isPaused())
        text += tr(" · PAUSED: %1 new frames not shown yet").arg(locale.toString(m_model->shownFramesSkippedWhilePaused()));
    return text;
}

void TrafficView::updateCounts()
{
    m_counts->setText(countsText());
}

void TrafficView::scrollToNewestSoon()
{
    if (m_follow->isChecked() && !m_followTimer.isActive())
        m_followTimer.start();
}

void TrafficView::chooseOpenFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open traffic capture"), QString(),
                                                      tr("Traffic captures (*.jsonl *.sbtraffic.jsonl);;All files (*)"));
    if (!path.isEmpty())
        emit openCaptureRequested(path);
}

void TrafficView::chooseSaveFile(bool shownOnly)
{
    QString path = QFileDialog::getSaveFileName(this, shownOnly ? tr("Export shown frames") : tr("Save traffic capture"),
                                                QStringLiteral("traffic.sbtraffic.jsonl"),
                                                tr("Traffic captures (*.jsonl)"));
    if (path.isEmpty())
        return;
    if (!path.endsWith(u".jsonl"))
        path += QStringLiteral(".sbtraffic.jsonl");
    emit saveCaptureRequested(path, shownOnly);
}

void TrafficView::setSourceSuggestions(const QStringList &kafkaTopics, const QString &redisPattern)
{
    m_suggestedTopics = kafkaTopics;
    m_suggestedPattern = redisPattern;
}

void TrafficView::chooseRedisPattern()
{
    bool ok = false;
    const QString pattern = QInputDialog::getText(this, tr("Monitor Redis pub/sub"),
                                                  tr("PSUBSCRIBE pattern (glob; the stage-2 bus is sb:bus:*):"),
                                                  QLineEdit::Normal, m_suggestedPattern, &ok)
                                .trimmed();
    if (ok && !pattern.isEmpty())
        emit redisMonitorRequested(pattern);
}

void TrafficView::chooseKafkaTail()
{
    KafkaTailDialog dialog(m_suggestedTopics, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    emit kafkaTailRequested(dialog.topics(), int(dialog.startFrom()), dialog.offset(), dialog.time());
}

void TrafficView::chooseProbe()
{
    auto *dialog = new ProbeDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ProbeDialog::stompProbeRequested, this, &TrafficView::stompProbeRequested);
    connect(dialog, &ProbeDialog::sseProbeRequested, this, &TrafficView::sseProbeRequested);
    dialog->open();
}

void TrafficView::chooseProbeSend()
{
    bool ok = false;
    const QString destination = QInputDialog::getText(this, tr("Send with the probe"), tr("Destination:"),
                                                      QLineEdit::Normal, QStringLiteral("/app/channels.general"), &ok)
                                    .trimmed();
    if (!ok || destination.isEmpty())
        return;
    const QString body = QInputDialog::getMultiLineText(this, tr("Send with the probe"), tr("Body:"),
                                                        QStringLiteral("{\"text\": \"hello from the probe\"}"), &ok);
    if (ok)
        emit probeSendRequested(destination, body.toUtf8());
}

void TrafficView::chooseCapacity()
{
    bool ok = false;
    const int frames = QInputDialog::getInt(this, tr("Capture buffer"),
                                            tr("Frames to keep (the oldest go first; about 1 KiB each):"),
                                            int(m_model->buffer()->capacity()), 1000, 5000000, 10000, &ok);
    if (ok)
        emit bufferCapacityRequested(frames);
}

QJsonObject TrafficView::snapshotState(int maxTableRows) const
{
    QJsonArray rows;
    const int count = m_model->rowCount();
    for (int row = qMax(0, count - maxTableRows); row < count; ++row) {
        const TrafficFrame *frame = m_model->frameAt(row);
        if (!frame)
            continue;
        QJsonObject headers;
        for (const auto &[name, value] : frame->headers())
            if (!headers.contains(name))
                headers.insert(name, value);
        rows.append(QJsonObject{{QStringLiteral("time"), TrafficModel::columnText(*frame, TrafficModel::Time)},
                                {QStringLiteral("replica"), frame->source},
                                {QStringLiteral("transport"), TrafficFrame::transportName(frame->transport)},
                                {QStringLiteral("dir"), TrafficFrame::directionName(frame->direction)},
                                {QStringLiteral("command"), frame->command},
                                {QStringLiteral("destination"), frame->destination},
                                {QStringLiteral("user"), frame->user},
                                {QStringLiteral("session"), frame->session},
                                {QStringLiteral("messageId"), frame->messageId},
                                {QStringLiteral("bytes"), frame->bytes},
                                {QStringLiteral("headers"), headers},
                                {QStringLiteral("body"), TrafficDetailPane::renderBody(frame->body, TrafficDetailPane::BodyView::Auto)}});
    }
    QJsonArray sources;
    qint64 droppedByNodes = 0;
    for (const TapSourceStatus &source : m_sources) {
        droppedByNodes += source.droppedBySource;
        sources.append(QJsonObject{{QStringLiteral("id"), source.id},
                                   {QStringLiteral("kind"), source.kind},
                                   {QStringLiteral("state"), TapSourceStatus::stateName(source.state)},
                                   {QStringLiteral("detail"), source.detail},
                                   {QStringLiteral("frames"), source.frames},
                                   {QStringLiteral("droppedByNode"), source.droppedBySource},
                                   {QStringLiteral("reconnects"), source.reconnects}});
    }
    const auto *buffer = m_model->buffer();
    const QJsonObject counts{{QStringLiteral("captured"), buffer->nextSeq() - 1},
                             {QStringLiteral("held"), buffer->size()},
                             {QStringLiteral("shown"), m_model->rowCount()},
                             {QStringLiteral("droppedByConsole"), m_droppedByConsole},
                             {QStringLiteral("droppedByNodes"), droppedByNodes},
                             {QStringLiteral("agedOut"), buffer->evicted()},
                             {QStringLiteral("bufferCapacity"), buffer->capacity()},
                             {QStringLiteral("bufferBytes"), buffer->approximateBytes()},
                             {QStringLiteral("bytesPerFrame"), buffer->isEmpty() ? 0 : buffer->approximateBytes() / buffer->size()}};
    // The latest frames-per-second sample of each replica and transport, and the total.
    QJsonObject rates;
    QList<QPointF> points;
    const qint64 latest = m_rateHistory->latestMs();
    for (const QString &series : m_rateHistory->replicaIds()) {
        m_rateHistory->points(series, latest, latest, 1, &points);
        if (!points.isEmpty())
            rates.insert(series, points.last().y());
    }
    m_rateHistory->totalPoints(latest, latest, 1, &points);
    if (!points.isEmpty())
        rates.insert(QStringLiteral("total"), points.last().y());
    QJsonObject state = m_freshness.toJson();
    const QJsonObject rest{{QStringLiteral("rows"), rows},
                       {QStringLiteral("sources"), sources},
                       {QStringLiteral("framesPerSecond"), rates},
                       {QStringLiteral("counts"), counts},
                       {QStringLiteral("filter"), m_model->filter().expression()},
                       {QStringLiteral("paused"), m_model->isPaused()},
                       {QStringLiteral("offline"), m_offline},
                       {QStringLiteral("banner"), m_banner->isVisible() ? m_banner->text() : QString()},
                       {QStringLiteral("trace"), traceOf(newestFullyDeliveredMessageId()).toJson()}};
    for (auto it = rest.begin(); it != rest.end(); ++it)
        state.insert(it.key(), it.value());
    return state;
}

} // namespace sb::ui
