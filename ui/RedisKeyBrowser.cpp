#include "ui/RedisKeyBrowser.h"

#include "models/RedisKeyModel.h"
#include "ui/RedisValueView.h"

#include <QAction>
#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace sb::ui {

using inspect::RedisScanProgress;
using Phase = inspect::RedisScanProgress::Phase;

namespace {
// Keys | value as splitter weights: the keys get the larger part.
QList<int> keyValueWeights()
{
    return { 600, 400 };
}
constexpr int kRefreshEveryTicks = 5; // visible rows re-read every 5 s when not notified
constexpr int kMaxRefreshKeys = 200;

// A named action: Help → Keyboard Shortcuts lists the actions' own texts (the area first,
// as the list spans every area).
void addShortcut(
    QWidget *owner, const QString &name, const QKeySequence &keys, const std::function<void()> &slot)
{
    auto *action = new QAction(QStringLiteral("Redis: ") + name, owner);
    action->setShortcut(keys);
    action->setShortcutContext(Qt::WidgetWithChildrenShortcut); // never steals another area's keys
    QObject::connect(action, &QAction::triggered, owner, slot);
    owner->addAction(action);
}
} // namespace

RedisKeyBrowser::RedisKeyBrowser(models::RedisKeyModel *model, bool readOnly, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_readOnly(readOnly)
    , m_ttlTimer(new QTimer(this))
{
    setObjectName(QStringLiteral("redisKeyBrowser"));
    buildControls();
    m_ttlTimer->setInterval(1000);
    connect(m_ttlTimer, &QTimer::timeout, this, &RedisKeyBrowser::tick);
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        m_valueView->clear();
        updateButtons();
    });
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, [this] {
        if (m_model->rowOfKey(m_valueView->key()) < 0)
            m_valueView->clear();
        updateButtons();
        if (m_progress.phase == Phase::Finished)
            setProgress(m_progress); // the count of listed keys is part of the status
    });
    connect(m_model, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_progress.phase == Phase::Finished)
            setProgress(m_progress);
    });
    updateButtons();
}

void RedisKeyBrowser::buildControls()
{
    m_pattern = new QLineEdit(QStringLiteral("*"), this);
    m_pattern->setObjectName(QStringLiteral("matchPattern"));
    m_pattern->setPlaceholderText(tr("MATCH pattern, e.g. sb:session:*"));
    m_pattern->setToolTip(tr("Redis glob for SCAN MATCH (* ? [abc] [^a] \\x). Return scans. (Ctrl+F)"));
    m_scan = new QPushButton(tr("Scan"), this);
    m_scan->setObjectName(QStringLiteral("scanButton"));
    m_scan->setToolTip(tr("Start a new scan from the beginning: the first %L1 keys, then it pauses (F5). "
                          "SCAN with a small adaptive COUNT, never KEYS, so the server is never blocked.")
                           .arg(PageKeys));
    m_pause = new QPushButton(tr("Pause"), this);
    m_pause->setObjectName(QStringLiteral("pauseButton"));
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("Pause or resume the scan; it continues from its cursor (F6)"));
    m_more = new QPushButton(tr("Scan more"), this);
    m_more->setObjectName(QStringLiteral("scanMoreButton"));
    m_more->setToolTip(tr("Scan the next %L1 keys from where the scan stopped (F7)").arg(PageKeys));
    m_all = new QPushButton(tr("Scan all"), this);
    m_all->setObjectName(QStringLiteral("scanAllButton"));
    m_all->setToolTip(tr("Scan to the end of the keyspace from where the scan stopped (Shift+F7)"));
    m_memory = new QCheckBox(tr("Memory"), this);
    m_memory->setObjectName(QStringLiteral("memoryCheck"));
    m_memory->setChecked(true);
    m_memory->setToolTip(tr("Read MEMORY USAGE per key (sampled, O(1) per key)"));

    auto *controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("MATCH"), this));
    controls->addWidget(m_pattern, 1);
    for (QWidget *w :
        { static_cast<QWidget *>(m_scan), static_cast<QWidget *>(m_pause), static_cast<QWidget *>(m_more),
            static_cast<QWidget *>(m_all), static_cast<QWidget *>(m_memory) })
        controls->addWidget(w);

    m_bar = new QProgressBar(this);
    m_bar->setObjectName(QStringLiteral("scanProgress"));
    m_bar->setRange(0, 1000);
    m_bar->setTextVisible(false);
    m_status = new QLabel(tr("Not scanned yet: press Scan (F5)."), this);
    m_status->setObjectName(QStringLiteral("scanStatus"));
    m_status->setWordWrap(true); // a narrow area wraps the status instead of cutting it off
    auto *progress = new QHBoxLayout;
    progress->addWidget(m_bar, 1);
    progress->addWidget(m_status, 2);

    m_notificationLabel = new QLabel(tr("Checking keyspace notifications…"), this);
    m_notificationLabel->setObjectName(QStringLiteral("notificationState"));
    m_notificationLabel->setWordWrap(true);
    m_notificationLabel->setTextInteractionFlags(Qt::TextSelectableByMouse); // the CONFIG SET can be copied
    m_recheck = new QPushButton(tr("Check again"), this);
    m_recheck->setObjectName(QStringLiteral("recheckNotifications"));
    m_recheck->setToolTip(tr("Read notify-keyspace-events again (after an operator changed it)"));
    auto *notifications = new QHBoxLayout;
    notifications->addWidget(m_notificationLabel, 1);
    notifications->addWidget(m_recheck);

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("keyTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    // Fixed row heights and no ResizeToContents: with a million rows, anything that
    // measures every row would stall the GUI thread.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setSectionResizeMode(models::RedisKeyModel::KeyColumn, QHeaderView::Stretch);
    // The figures get the width of their longest usual text, so the key keeps the rest;
    // long keys lose their middle, not their distinguishing end.
    const QFontMetrics metrics = m_table->fontMetrics();
    const int padding = 3 * metrics.averageCharWidth();
    m_table->horizontalHeader()->resizeSection(
        models::RedisKeyModel::TypeColumn, metrics.horizontalAdvance(QStringLiteral("stream")) + padding);
    m_table->horizontalHeader()->resizeSection(
        models::RedisKeyModel::TtlColumn, metrics.horizontalAdvance(QStringLiteral("23 h 59 m")) + padding);
    m_table->horizontalHeader()->resizeSection(models::RedisKeyModel::MemoryColumn,
        metrics.horizontalAdvance(QStringLiteral("1023.9 KiB")) + padding);
    m_table->setTextElideMode(Qt::ElideMiddle);
    m_table->setToolTip(
        tr("Keys as SCAN finds them. TTL counts down live. Select a key to see its value; Del deletes, "
           "Ctrl+E sets an expiry, Ctrl+Shift+E removes it."));

    m_valueView = new RedisValueView(this);
    m_delete = new QPushButton(tr("Delete…"), this);
    m_delete->setObjectName(QStringLiteral("deleteButton"));
    m_expire = new QPushButton(tr("Expire…"), this);
    m_expire->setObjectName(QStringLiteral("expireButton"));
    m_persist = new QPushButton(tr("Persist…"), this);
    m_persist->setObjectName(QStringLiteral("persistButton"));
    m_actionLabel = new QLabel(this);
    m_actionLabel->setObjectName(QStringLiteral("actionResult"));
    m_actionLabel->setWordWrap(true);
    auto *actions = new QHBoxLayout;
    actions->addWidget(m_delete);
    actions->addWidget(m_expire);
    actions->addWidget(m_persist);
    actions->addStretch();

    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_valueView, 1);
    rightLayout->addLayout(actions);
    rightLayout->addWidget(m_actionLabel);
    m_splitter = new QSplitter(this);
    m_splitter->setObjectName(QStringLiteral("keyValueSplitter"));
    m_splitter->addWidget(m_table);
    m_splitter->addWidget(right);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setSizes(keyValueWeights());
    m_splitter->setCollapsible(0, false);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addLayout(progress);
    layout->addLayout(notifications);
    layout->addWidget(m_splitter, 1);

    connect(m_scan, &QPushButton::clicked, this, &RedisKeyBrowser::startScan);
    connect(m_pattern, &QLineEdit::returnPressed, this, &RedisKeyBrowser::startScan);
    connect(m_pause, &QPushButton::toggled, this, [this](bool paused) { emit pauseRequested(paused); });
    connect(m_more, &QPushButton::clicked, this, [this] { emit scanMoreRequested(PageKeys); });
    connect(m_all, &QPushButton::clicked, this, [this] { emit scanAllRequested(); });
    connect(m_memory, &QCheckBox::toggled, this, [this](bool on) { emit memoryUsageToggled(on); });
    connect(m_recheck, &QPushButton::clicked, this, [this] { emit notificationsCheckRequested(); });
    connect(m_delete, &QPushButton::clicked, this, &RedisKeyBrowser::requestDelete);
    connect(m_expire, &QPushButton::clicked, this, &RedisKeyBrowser::requestExpire);
    connect(m_persist, &QPushButton::clicked, this, &RedisKeyBrowser::requestPersist);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        &RedisKeyBrowser::onCurrentRowChanged);
    connect(m_valueView, &RedisValueView::pageRequested, this, &RedisKeyBrowser::valueRequested);

    addShortcut(this, tr("scan from the start"), QKeySequence(Qt::Key_F5), [this] { startScan(); });
    addShortcut(
        this, tr("pause or resume the scan"), QKeySequence(Qt::Key_F6), [this] { m_pause->toggle(); });
    addShortcut(this, tr("scan more keys"), QKeySequence(Qt::Key_F7), [this] { m_more->click(); });
    addShortcut(
        this, tr("scan to the end"), QKeySequence(Qt::SHIFT | Qt::Key_F7), [this] { m_all->click(); });
    addShortcut(this, tr("edit the MATCH pattern"), QKeySequence(Qt::CTRL | Qt::Key_F), [this] {
        m_pattern->setFocus();
        m_pattern->selectAll();
    });
    addShortcut(m_table, tr("delete the selected key…"), QKeySequence::Delete, [this] { requestDelete(); });
    addShortcut(this, tr("set the selected key's expiry…"), QKeySequence(Qt::CTRL | Qt::Key_E),
        [this] { requestExpire(); });
    addShortcut(this, tr("remove the selected key's expiry…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E),
        [this] { requestPersist(); });
}

QString RedisKeyBrowser::pattern() const
{
    const QString text = m_pattern->text().trimmed();
    return text.isEmpty() ? QStringLiteral("*") : text;
}

void RedisKeyBrowser::startScan()
{
    emit scanRequested(pattern().toUtf8(), PageKeys);
}

void RedisKeyBrowser::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    const bool narrow = width() < kSideBySideMinWidth;
    if (narrow == m_narrow)
        return;
    m_narrow = narrow;
    if (!narrow)
        unfoldValueView();
    else if (currentKey().isEmpty())
        m_splitter->setSizes({ 1, 0 });
}

void RedisKeyBrowser::unfoldValueView()
{
    if (m_splitter->sizes().value(1) == 0)
        m_splitter->setSizes(keyValueWeights());
}

void RedisKeyBrowser::setProgress(const RedisScanProgress &progress)
{
    m_progress = progress;
    const QLocale locale;
    const qint64 scanned = progress.scannedEstimate();
    const QString of = progress.dbSize >= 0 ? locale.toString(progress.dbSize) : tr("?");
    const bool everyKey = progress.pattern == "*" || progress.pattern.isEmpty();
    const qint64 rows = m_model->rowCount();
    QString text;
    if (everyKey)
        text = tr("scanned %1 of %2 (DBSIZE)").arg(locale.toString(scanned), of);
    else
        text = tr("scanned ~%1 of %2 (DBSIZE), %3 match")
                   .arg(locale.toString(scanned), of, locale.toString(progress.keysReturned));
    switch (progress.phase) {
    case Phase::Idle:
        text = tr("Not scanning.");
        break;
    case Phase::Running:
        text = tr("Scanning: ") + text;
        break;
    case Phase::Paused:
        text = tr("Paused: ") + text
            + (progress.budgetLeft == 0 ? tr(" — Scan more or Scan all continues") : QString());
        break;
    case Phase::Finished:
        if (everyKey && progress.dbSize > rows) {
            // Keys written since the scan passed: notifications add them live when the
            // server sends them; otherwise only another scan lists them.
            text = tr("Done: listed %1 keys; DBSIZE has grown to %2 since — Scan (F5) lists the new ones")
                       .arg(locale.toString(rows), of);
        } else if (everyKey && rows > progress.keysReturned) {
            // "scanned 3 of 42" under 42 listed rows reads like a scan that stopped short.
            // DBSIZE is read once a second: while keys are being written it trails the rows.
            const QString listed = progress.dbSize == rows
                ? tr("%1 of %2 keys (DBSIZE)").arg(locale.toString(rows), of)
                : tr("%1 keys").arg(locale.toString(rows));
            text = tr("Done: listed %1: %2 by SCAN, %3 live since")
                       .arg(listed, locale.toString(progress.keysReturned),
                           locale.toString(rows - progress.keysReturned));
        } else {
            text = tr("Done: ") + text;
        }
        break;
    case Phase::Failed:
        text = tr("Scan failed: ") + progress.error;
        break;
    }
    if (!progress.error.isEmpty() && progress.phase != Phase::Failed)
        text += u" (" + progress.error + u')';
    m_status->setText(text);
    m_status->setToolTip(tr("%1 SCAN calls, COUNT now %2, slowest round trip %3 ms")
                             .arg(progress.calls)
                             .arg(progress.count)
                             .arg(progress.maxCallMs, 0, 'f', 2));
    const double fraction = progress.phase == Phase::Finished ? 1.0
        : (progress.pattern == "*" && progress.dbSize > 0)
        ? double(progress.keysReturned) / double(progress.dbSize)
        : progress.visitedFraction;
    m_bar->setValue(int(qBound(0.0, fraction, 1.0) * 1000));
    {
        const QSignalBlocker blocker(m_pause);
        m_pause->setChecked(progress.phase == Phase::Paused && progress.budgetLeft != 0);
    }
    updateButtons();
}

void RedisKeyBrowser::setNotificationState(const inspect::RedisNotificationState &state)
{
    m_notifications = state;
    QString text = state.text;
    if (state.eventsDropped > 0)
        text += tr(" %L1 notified changes were too many to follow live.").arg(state.eventsDropped);
    m_notificationLabel->setText(text);
    m_notificationLabel->setToolTip(state.enableCommand);
}

void RedisKeyBrowser::showValuePage(const inspect::RedisValuePage &page)
{
    m_valueView->showPage(page);
}

void RedisKeyBrowser::showActionResult(const inspect::RedisActionResult &result)
{
    m_actionLabel->setText(QString::fromUtf8(result.key) + u": " + result.message);
    if (result.ok && result.key == m_valueView->key()
        && result.action == inspect::RedisActionResult::Action::Delete)
        m_valueView->clear();
}

QPair<int, int> RedisKeyBrowser::visibleRows() const
{
    if (m_model->rowCount() == 0)
        return { -1, -1 };
    const int first = m_table->rowAt(0);
    if (first < 0)
        return { -1, -1 };
    int last = m_table->rowAt(m_table->viewport()->height() - 1);
    if (last < 0)
        last = m_model->rowCount() - 1;
    return { first, last };
}

QJsonArray RedisKeyBrowser::rowsJson(int maxRows) const
{
    QJsonArray rows;
    for (int row = 0; row < m_model->rowCount() && row < maxRows; ++row) {
        QJsonObject object;
        for (int column = 0; column < models::RedisKeyModel::ColumnCount; ++column) {
            const QString name = m_model->headerData(column, Qt::Horizontal).toString().toLower();
            object.insert(name, m_model->index(row, column).data().toString());
        }
        rows.append(object);
    }
    return rows;
}

void RedisKeyBrowser::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_ttlTimer->start();
}

void RedisKeyBrowser::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_ttlTimer->stop(); // nothing to count down on a hidden table
}

void RedisKeyBrowser::tick()
{
    const auto [first, last] = visibleRows();
    if (first < 0)
        return;
    m_model->tickTtl(first, last);
    if (++m_ticks % kRefreshEveryTicks != 0
        || m_notifications.mode == inspect::RedisNotificationState::Mode::Enabled)
        return;
    // Without keyspace notifications, only what the operator is looking at is kept fresh.
    QList<QByteArray> keys;
    for (int row = first; row <= last && keys.size() < kMaxRefreshKeys; ++row)
        keys.append(m_model->keyAt(row));
    emit refreshRequested(keys);
}

void RedisKeyBrowser::onCurrentRowChanged()
{
    const int row = m_table->currentIndex().row();
    if (row < 0)
        m_valueView->clear();
    else {
        m_valueView->showKey(m_model->keyAt(row), m_model->typeAt(row));
        unfoldValueView();
    }
    updateButtons();
}

QByteArray RedisKeyBrowser::currentKey() const
{
    const QModelIndex current = m_table->currentIndex();
    return current.isValid() ? m_model->keyAt(current.row()) : QByteArray();
}

void RedisKeyBrowser::updateButtons()
{
    const bool running = m_progress.phase == Phase::Running || m_progress.phase == Phase::Paused;
    const bool resumable = running && m_progress.phase != Phase::Finished;
    m_pause->setEnabled(running && m_progress.budgetLeft != 0);
    m_more->setEnabled(resumable);
    m_all->setEnabled(resumable && m_progress.budgetLeft != -1);
    const bool haveKey = !currentKey().isEmpty();
    for (QPushButton *button : { m_delete, m_expire, m_persist }) {
        button->setEnabled(!m_readOnly && haveKey);
        button->setToolTip(m_readOnly ? tr("Read-only profile: destructive actions are off") : QString());
    }
    if (!m_readOnly) {
        m_delete->setToolTip(tr("Delete the selected key, after confirmation (Del)"));
        m_expire->setToolTip(tr("Set the selected key's time to live, after confirmation (Ctrl+E)"));
        m_persist->setToolTip(tr("Remove the selected key's expiry, after confirmation (Ctrl+Shift+E)"));
    }
}

void RedisKeyBrowser::confirm(const QString &question, const QString &actionText, std::function<void()> onYes)
{
    // Window-modal and asynchronous (open(), not exec()): no nested event loop, and the
    // scan keeps streaming in while the operator reads the question.
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Confirm"), question, QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("confirmKeyAction"));
    QPushButton *yes = box->addButton(actionText, QMessageBox::DestructiveRole);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(
        box, &QMessageBox::buttonClicked, this, [yes, onYes = std::move(onYes)](QAbstractButton *clicked) {
            if (clicked == yes)
                onYes();
        });
    box->open();
}

void RedisKeyBrowser::requestDelete()
{
    const QByteArray key = currentKey();
    if (m_readOnly || key.isEmpty())
        return;
    confirm(tr("Delete the key \"%1\"? This cannot be undone.").arg(QString::fromUtf8(key)), tr("Delete"),
        [this, key] { emit deleteRequested(key); });
}

void RedisKeyBrowser::requestExpire()
{
    const QByteArray key = currentKey();
    if (m_readOnly || key.isEmpty())
        return;
    auto *dialog = new QInputDialog(this);
    dialog->setObjectName(QStringLiteral("expireDialog"));
    dialog->setWindowTitle(tr("Confirm expiry"));
    dialog->setInputMode(QInputDialog::IntInput);
    dialog->setIntRange(1, 10 * 365 * 86400);
    dialog->setIntValue(3600);
    dialog->setLabelText(tr("Expire \"%1\" in how many seconds?").arg(QString::fromUtf8(key)));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QInputDialog::intValueSelected, this,
        [this, key](int seconds) { emit expireRequested(key, seconds); });
    dialog->open();
}

void RedisKeyBrowser::requestPersist()
{
    const QByteArray key = currentKey();
    if (m_readOnly || key.isEmpty())
        return;
    confirm(tr("Remove the expiry of \"%1\"? It will then live until deleted.").arg(QString::fromUtf8(key)),
        tr("Persist"), [this, key] { emit persistRequested(key); });
}

} // namespace sb::ui
