#include "ui/TrafficView.h"

#include "inspect/TraceAssembler.h"
#include "models/SeriesHistory.h"
#include "models/TrafficModel.h"
#include "ui/AreaAction.h"
#include "ui/HistoryChart.h"
#include "ui/SequenceDiagram.h"
#include "ui/TracePane.h"
#include "ui/TrafficCaptureMenu.h"
#include "ui/TrafficDetailPane.h"
#include "ui/TrafficSnapshotJson.h"
#include "ui/TrafficSourcesLabel.h"
#include "ui/TrafficTable.h"

#include <QAction>
#include <QHBoxLayout>
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

QToolButton *trafficButton(QAction *action, QWidget *parent)
{
    auto *button = new QToolButton(parent);
    button->setDefaultAction(action);
    button->setToolButtonStyle(Qt::ToolButtonTextOnly);
    return button;
}

} // namespace

TrafficView::TrafficView(TrafficModel *model, const models::SeriesHistory *rates, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_rateHistory(rates)
{
    setObjectName(QStringLiteral("trafficView"));
    createActions();

    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("trafficFilter"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setPlaceholderText(tr("Filter (Ctrl+L): words, \"phrases\", /regex/, user:alice, cmd=SEND, "
                                    "dest:/topic/…, -dir=in, bytes>1000"));
    m_filter->setToolTip(
        tr("<p>Every term must match; the filter applies while capture continues.</p>"
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
    more->setMenu(m_captureMenu->menu());
    bar->addWidget(more);
    m_captureButton = more;

    m_banner = new QLabel(this);
    m_banner->setObjectName(QStringLiteral("trafficBanner"));
    m_banner->setStyleSheet(
        QStringLiteral("QLabel { background: #e3f2fd; color: #0d47a1; padding: 3px; font-weight: bold; }"));
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

    m_sourcesLabel = new TrafficSourcesLabel(this);
    m_counts = new QLabel(this);
    m_counts->setObjectName(QStringLiteral("trafficCounts"));
    m_counts->setWordWrap(true);

    m_table = new TrafficTable(m_model, this);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        &TrafficView::onSelectionChanged);
    connect(m_table, &TrafficTable::filterTermChosen, this, &TrafficView::addFilterTerm);
    connect(m_table, &TrafficTable::traceRequested, this, &TrafficView::traceSelected);
    connect(m_table->verticalScrollBar(), &QScrollBar::valueChanged, this, [this](int value) {
        // Scrolling up to read stops following; End (or the button) follows again.
        if (m_follow->isChecked() && value < m_table->verticalScrollBar()->maximum() - 2
            && m_table->isVisible() && !m_followTimer.isActive())
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
    connect(m_trace, &TracePane::traceRequested, this,
        [this](const QString &id) { m_trace->showTrace(traceOf(id)); });
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
        m_split->setSizes({ width() * 3 / 5, width() * 2 / 5 });
    } else {
        const bool selected = m_table->currentIndex().isValid();
        m_split->setSizes({ height(), selected ? height() * 2 / 3 : 0 });
    }
}

void TrafficView::unfoldDetails()
{
    const QList<int> sizes = m_split->sizes();
    if (sizes.size() == 2 && sizes[1] == 0) {
        const int total = sizes[0];
        m_split->setSizes({ total * 11 / 20, total * 9 / 20 });
    }
}

void TrafficView::createActions()
{
    m_captureMenu = new TrafficCaptureMenu(this, [this] { return m_model->buffer()->capacity(); });
    connect(
        m_captureMenu, &TrafficCaptureMenu::openCaptureRequested, this, &TrafficView::openCaptureRequested);
    connect(
        m_captureMenu, &TrafficCaptureMenu::saveCaptureRequested, this, &TrafficView::saveCaptureRequested);
    connect(m_captureMenu, &TrafficCaptureMenu::bufferCapacityRequested, this,
        &TrafficView::bufferCapacityRequested);
    connect(
        m_captureMenu, &TrafficCaptureMenu::redisMonitorRequested, this, &TrafficView::redisMonitorRequested);
    connect(m_captureMenu, &TrafficCaptureMenu::kafkaTailRequested, this, &TrafficView::kafkaTailRequested);
    connect(m_captureMenu, &TrafficCaptureMenu::stompProbeRequested, this, &TrafficView::stompProbeRequested);
    connect(m_captureMenu, &TrafficCaptureMenu::sseProbeRequested, this, &TrafficView::sseProbeRequested);
    connect(m_captureMenu, &TrafficCaptureMenu::probeSendRequested, this, &TrafficView::probeSendRequested);
    connect(m_captureMenu, &TrafficCaptureMenu::probeStopRequested, this, &TrafficView::probeStopRequested);
    connect(m_captureMenu, &TrafficCaptureMenu::clearRequested, this, [this] {
        m_model->clear();
        m_detail->clear();
        m_sequence->clear();
    });

    auto add = [this](const QString &text, const QKeySequence &keys, const QString &tip,
                   const std::function<void()> &slot) {
        QAction *action = addAreaAction(this, text, keys, tip);
        if (slot)
            connect(action, &QAction::triggered, this, slot);
        return action;
    };
    m_pause = add(tr("Pause view"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P),
        tr("Freeze the table while capture keeps filling the buffer"), nullptr);
    m_pause->setCheckable(true);
    connect(m_pause, &QAction::toggled, this, [this](bool paused) {
        m_model->setPaused(paused);
        m_pause->setText(paused ? tr("Resume view") : tr("Pause view"));
        updateCounts();
    });
    m_follow
        = add(tr("Follow newest"), QKeySequence(Qt::Key_End), tr("Keep the newest frame in sight"), nullptr);
    m_follow->setCheckable(true);
    m_follow->setChecked(true);
    connect(m_follow, &QAction::toggled, this, [this](bool on) {
        if (on)
            m_table->scrollToBottom();
    });
    add(tr("Focus the traffic filter"), QKeySequence(Qt::CTRL | Qt::Key_L), tr("Type a filter"), [this] {
        m_filter->setFocus();
        m_filter->selectAll();
    });
    add(tr("Find a frame"), QKeySequence(Qt::CTRL | Qt::Key_F), tr("Find a shown frame"), [this] {
        m_find->setFocus();
        m_find->selectAll();
    });
    add(tr("Find next frame"), QKeySequence(Qt::Key_F3), tr("Next match"), [this] { findNext(true); });
    add(tr("Find previous frame"), QKeySequence(Qt::SHIFT | Qt::Key_F3), tr("Previous match"),
        [this] { findNext(false); });
    // These two also head the Capture menu.
    QMenu *menu = m_captureMenu->menu();
    QAction *firstOfMenu = menu->actions().value(0);
    menu->insertAction(firstOfMenu,
        add(tr("Trace the selected message"), QKeySequence(Qt::CTRL | Qt::Key_T),
            tr("Every hop of the selected frame's message id"), [this] { traceSelected(); }));
    menu->insertAction(firstOfMenu,
        add(tr("Copy the selected frame"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C),
            tr("The frame's summary, headers and body as text"), [this] { m_detail->copyFrame(); }));
    menu->insertSeparator(firstOfMenu);
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
        m_filterError->setText(
            tr("Filter not applied: %1 (at character %2)").arg(error.message).arg(error.position + 1));
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
        m_trace->showTrace(inspect::MessageTrace {});
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
        if (source.kind == u"tap"
            && (source.state == TapSourceStatus::State::Live
                || source.state == TapSourceStatus::State::Lagging))
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
    m_sourcesLabel->setSources(sources);
    if (!m_countsTimer.isActive())
        m_countsTimer.start();
}

void TrafficView::setBanner(const QString &text, bool offline)
{
    m_offline = offline;
    m_banner->setText(text);
    m_banner->setVisible(!text.isEmpty());
    m_backToLive->setVisible(offline && !m_replayOnly);
}

void TrafficView::setReplayOnly()
{
    m_replayOnly = true;
    m_captureButton->hide();
    m_backToLive->hide();
    // End is the replay's "to the last sample" there, which follows the newest frame anyway:
    // two actions on one key would make it do nothing.
    m_follow->setShortcut({});
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
        text += tr(" · PAUSED: %1 new frames not shown yet")
                    .arg(locale.toString(m_model->shownFramesSkippedWhilePaused()));
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

void TrafficView::setSourceSuggestions(const QStringList &kafkaTopics, const QString &redisPattern)
{
    m_captureMenu->setSuggestions(kafkaTopics, redisPattern);
}

QJsonObject TrafficView::snapshotState(int maxTableRows, SnapshotPurpose purpose) const
{
    QJsonObject state = m_freshness.toJson();
    const bool full = purpose == SnapshotPurpose::Snapshot;
    QJsonObject rest { { QStringLiteral("rows"),
                           trafficRowsJson(*m_model, maxTableRows,
                               full ? TrafficRowContent::Rendered : TrafficRowContent::ColumnsOnly) },
        { QStringLiteral("sources"), tapSourcesJson(m_sources) },
        { QStringLiteral("framesPerSecond"), frameRatesJson(*m_rateHistory) },
        { QStringLiteral("counts"), trafficCountsJson(*m_model, m_droppedByConsole, m_sources) },
        { QStringLiteral("filter"), m_model->filter().expression() },
        { QStringLiteral("paused"), m_model->isPaused() }, { QStringLiteral("offline"), m_offline },
        { QStringLiteral("banner"), bannerText() } };
    if (full)
        rest.insert(QStringLiteral("trace"), traceOf(newestFullyDeliveredMessageId()).toJson());
    for (auto it = rest.begin(); it != rest.end(); ++it)
        state.insert(it.key(), it.value());
    return state;
}

} // namespace sb::ui
