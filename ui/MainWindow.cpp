#include "ui/MainWindow.h"

#include "models/AlertModel.h"
#include "models/AttachmentState.h"
#include "models/RecordingStore.h"
#include "ui/AlertStatusButton.h"
#include "ui/AlertsPanel.h"
#include "ui/AreaView.h"
#include "ui/ConnectionStatusWidget.h"
#include "ui/FaultsPanel.h"
#include "ui/ReplayWindow.h"
#include "ui/ShortcutsDialog.h"
#include "ui/SnapshotWriter.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QDockWidget>
#include <QFileDialog>
#include <QMenuBar>
#include <QMessageBox>
#include <QPointer>
#include <QSettings>
#include <QStatusBar>

namespace sb::ui {

namespace {
constexpr int kLayoutVersion
    = 4; // 2: Kafka and Redis get the room; 3: Traffic only what its note needs; 4: Traffic built

struct AreaSpec
{
    QString key;
    QString title;
    EmptyState empty;
    Qt::Key shortcut;
};

QList<AreaSpec> areaSpecs()
{
    return {
        { QStringLiteral("replicas"), QStringLiteral("Replicas"),
            { QStringLiteral("Replicas"),
                QStringLiteral("Every replica of the cluster: state, WebSocket and SSE connections, "
                               "subscriptions, message rates and a live chart of connections per replica."),
                QStringLiteral("Replicas are discovered from the sb:node:* registry in Redis, from "
                               "Prometheus endpoints or from /admin/stats URLs of the attached profile.") },
            Qt::Key_1 },
        { QStringLiteral("kafka"), QStringLiteral("Kafka"),
            { QStringLiteral("Kafka"),
                QStringLiteral("Consumer groups with per-partition lag, its trend and a Burrow-style "
                               "verdict; topics with end offsets, produce rates and DLT counts."),
                QStringLiteral("Attach a profile with a Kafka bootstrap, or use the embedded demo "
                               "cluster.") },
            Qt::Key_2 },
        { QStringLiteral("redis"), QStringLiteral("Redis"),
            { QStringLiteral("Redis"),
                QStringLiteral("A SCAN-driven key browser (never KEYS) and a Sessions lens over "
                               "sb:session:* and sb:token:*, with live TTLs."),
                QStringLiteral("Attach a profile with a Redis URL, or use the embedded demo cluster.") },
            Qt::Key_3 },
        { QStringLiteral("traffic"), QStringLiteral("Traffic"),
            { QStringLiteral("Traffic"),
                QStringLiteral("Every STOMP and SSE frame in and out of the replicas, from their "
                               "/admin/tap, so one message can be traced end to end by its message-id."),
                QStringLiteral("Needs a replica with an admin account; the demo cluster provides one.") },
            Qt::Key_4 },
    };
}
} // namespace

MainWindow::MainWindow(
    models::AttachmentState *attachment, models::RecordingStore *recording, QWidget *parent)
    : QMainWindow(parent)
    , m_attachment(attachment)
    , m_recording(recording)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(QStringLiteral("Switchboard"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/switchboard.svg")));
    setDockOptions(AnimatedDocks | AllowNestedDocks | AllowTabbedDocks);
    createAreas();
    createMenus();
    statusBar()->addWidget(new ConnectionStatusWidget(attachment, this), 1);
    resize(1280, 800);
    sizeDocksFor(size());
    m_defaultLayout = saveState(kLayoutVersion);
    restoreLayout();
}

void MainWindow::sizeDocksFor(const QSize &window)
{
    // Kafka's tables, Redis' keys and the traffic table want the room; the few rows of a
    // typical replica table need less. Proportions set at 1280x800, scaled to the window.
    const auto x = [&window](int at1280) { return at1280 * window.width() / 1280; };
    const auto y = [&window](int at800) { return at800 * window.height() / 800; };
    resizeDocks({ m_docks[QStringLiteral("replicas")], m_docks[QStringLiteral("kafka")] }, { x(560), x(720) },
        Qt::Horizontal);
    resizeDocks({ m_docks[QStringLiteral("replicas")], m_docks[QStringLiteral("redis")] }, { y(330), y(430) },
        Qt::Vertical);
    resizeDocks({ m_docks[QStringLiteral("kafka")], m_docks[QStringLiteral("traffic")] }, { y(480), y(280) },
        Qt::Vertical);
}

void MainWindow::useDefaultLayoutAt(const QSize &size)
{
    restoreState(m_defaultLayout, kLayoutVersion);
    for (QDockWidget *dock : std::as_const(m_docks))
        dock->show();
    resize(size);
    sizeDocksFor(size);
}

void MainWindow::createAreas()
{
    for (const AreaSpec &spec : areaSpecs()) {
        auto *view = new AreaView(spec.key, spec.empty, this);
        auto *dock = new QDockWidget(spec.title, this);
        dock->setObjectName(spec.key + QStringLiteral("Dock"));
        dock->setWidget(view);
        dock->toggleViewAction()->setShortcut(QKeySequence(Qt::ALT | spec.shortcut));
        dock->toggleViewAction()->setToolTip(QStringLiteral("Show or hide the %1 area").arg(spec.title));
        m_areas.insert(spec.key, view);
        m_docks.insert(spec.key, dock);
    }
    // No central widget: the four areas share the window and the user rearranges them.
    setCentralWidget(nullptr);
    addDockWidget(Qt::LeftDockWidgetArea, m_docks[QStringLiteral("replicas")]);
    splitDockWidget(m_docks[QStringLiteral("replicas")], m_docks[QStringLiteral("kafka")], Qt::Horizontal);
    splitDockWidget(m_docks[QStringLiteral("replicas")], m_docks[QStringLiteral("redis")], Qt::Vertical);
    splitDockWidget(m_docks[QStringLiteral("kafka")], m_docks[QStringLiteral("traffic")], Qt::Vertical);
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(QStringLiteral("&File"));
    QAction *profiles = file->addAction(QStringLiteral("&Profiles…"), this, &MainWindow::profilesRequested);
    profiles->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
    profiles->setToolTip(QStringLiteral("Edit saved clusters and attach to one"));
    file->addSeparator();
    QAction *open = file->addAction(QStringLiteral("&Open Recording…"), this, &MainWindow::openRecording);
    open->setShortcut(QKeySequence::Open);
    QAction *save = file->addAction(QStringLiteral("&Save Recording…"), this, &MainWindow::saveRecording);
    save->setShortcut(QKeySequence::Save);
    save->setToolTip(QStringLiteral("Save what the console has recorded this session"));
    QAction *snapshot
        = file->addAction(QStringLiteral("S&napshot…"), this, &MainWindow::chooseSnapshotDirectory);
    snapshot->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    snapshot->setToolTip(QStringLiteral("Write window.png and state.json for an incident report"));
    file->addSeparator();
    QAction *quit = file->addAction(QStringLiteral("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));

    QMenu *view = menuBar()->addMenu(QStringLiteral("&View"));
    m_viewMenu = view;
    for (const AreaSpec &spec : areaSpecs())
        view->addAction(m_docks[spec.key]->toggleViewAction());
    view->addSeparator();
    QAction *reset = view->addAction(QStringLiteral("&Reset Layout"), this, &MainWindow::resetLayout);
    reset->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));

    QMenu *help = menuBar()->addMenu(QStringLiteral("&Help"));
    QAction *keys = help->addAction(
        QStringLiteral("&Keyboard Shortcuts"), this, [this] { ShortcutsDialog(this, this).exec(); });
    keys->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Slash));
    help->addAction(QStringLiteral("&About Switchboard"), this, &MainWindow::showAbout);
}

QStringList MainWindow::areaKeys() const
{
    QStringList keys;
    for (const AreaSpec &spec : areaSpecs())
        keys << spec.key;
    return keys;
}

QJsonObject MainWindow::snapshotState(int maxTableRows, SnapshotPurpose purpose) const
{
    QJsonObject state {
        { QStringLiteral("switchboard"), QStringLiteral(SB_VERSION) },
        { QStringLiteral("takenAt"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs) },
        { QStringLiteral("attachment"), m_attachment->toJson() },
    };
    for (const QString &key : areaKeys()) {
        QJsonObject area = m_areas[key]->snapshotState(maxTableRows, purpose);
        area.insert(QStringLiteral("visible"), m_docks[key]->isVisible());
        state.insert(key, area);
    }
    if (m_alerts)
        state.insert(QStringLiteral("alerts"), m_alerts->toJson());
    if (m_snapshotExtras) {
        const QJsonObject extras = m_snapshotExtras();
        for (auto it = extras.begin(); it != extras.end(); ++it)
            state.insert(it.key(), it.value());
    }
    return state;
}

AlertsPanel *MainWindow::setAlerts(models::AlertModel *alerts)
{
    m_alerts = alerts;
    auto *panel = new AlertsPanel(alerts, this);
    m_alertsDock = new QDockWidget(QStringLiteral("Alerts"), this);
    m_alertsDock->setObjectName(QStringLiteral("alertsDock"));
    m_alertsDock->setWidget(panel);
    m_alertsDock->toggleViewAction()->setShortcut(QKeySequence(Qt::ALT | Qt::Key_5));
    m_alertsDock->toggleViewAction()->setToolTip(QStringLiteral("Show or hide the Alerts panel"));
    addDockWidget(Qt::BottomDockWidgetArea, m_alertsDock);
    m_alertsDock->hide();
    // Where the user last put it (the layout restored at construction did not know the dock yet).
    restoreState(QSettings().value(QStringLiteral("mainWindow/state")).toByteArray(), kLayoutVersion);
    m_viewMenu->addAction(m_alertsDock->toggleViewAction());
    auto *count = new AlertStatusButton(alerts, this);
    connect(count, &QToolButton::clicked, this, [this] {
        m_alertsDock->show();
        m_alertsDock->raise();
    });
    statusBar()->addPermanentWidget(count);
    return panel;
}

FaultsPanel *MainWindow::setFaults(QAbstractItemModel *events)
{
    auto *panel = new FaultsPanel(events, this);
    m_faultsDock = new QDockWidget(QStringLiteral("Faults"), this);
    m_faultsDock->setObjectName(QStringLiteral("faultsDock"));
    m_faultsDock->setWidget(panel);
    m_faultsDock->toggleViewAction()->setShortcut(QKeySequence(Qt::ALT | Qt::Key_6));
    m_faultsDock->toggleViewAction()->setToolTip(
        QStringLiteral("Show or hide the Faults panel: break the demo cluster on purpose"));
    addDockWidget(Qt::BottomDockWidgetArea, m_faultsDock);
    m_faultsDock->hide();
    restoreState(QSettings().value(QStringLiteral("mainWindow/state")).toByteArray(), kLayoutVersion);
    m_viewMenu->addAction(m_faultsDock->toggleViewAction());
    return panel;
}

bool MainWindow::writeSnapshot(const QString &directory, QString *error)
{
    QMap<QString, QWidget *> shown;
    for (auto it = m_areas.cbegin(); it != m_areas.cend(); ++it)
        if (it.value()->isVisible())
            shown.insert(it.key(), it.value());
    if (!SnapshotWriter::write(this, shown, snapshotState(), directory, error))
        return false;
    // The Alerts and Faults panels too, open or not (for a report, or the README's pictures):
    // a closed one is opened floating at the window's width for the picture, then closed
    // again, after window.png was taken, so that picture shows the layout as it was.
    for (const auto &[key, dock] : { std::pair { QStringLiteral("alerts"), m_alertsDock },
             std::pair { QStringLiteral("faults"), m_faultsDock } }) {
        if (!dock)
            continue;
        const bool closed = dock->isHidden();
        if (closed) {
            dock->setFloating(true);
            dock->resize(width(), qMax(240, height() / 3));
            dock->show();
            QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
        }
        const bool written = SnapshotWriter::writePanel(dock->widget(), key, directory, error);
        if (closed) {
            dock->hide();
            dock->setFloating(false);
        }
        if (!written)
            return false;
    }
    return true;
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    // A save still running is not lost: its pool task holds all it writes and finishes the
    // file, and the application waits for the global pool before it exits.
    if (isSavingRecording())
        qInfo("closing while the recording is saved to %s: the save finishes first",
            qPrintable(m_saveJob->path()));
    saveLayout();
    event->accept();
}

void MainWindow::restoreLayout()
{
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("mainWindow/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("mainWindow/state")).toByteArray(), kLayoutVersion);
}

void MainWindow::saveLayout() const
{
    QSettings settings;
    settings.setValue(QStringLiteral("mainWindow/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("mainWindow/state"), saveState(kLayoutVersion));
}

void MainWindow::resetLayout()
{
    restoreState(m_defaultLayout, kLayoutVersion);
    for (QDockWidget *dock : std::as_const(m_docks))
        dock->show();
}

void MainWindow::chooseSnapshotDirectory()
{
    const QString dir = QFileDialog::getExistingDirectory(this, QStringLiteral("Snapshot into folder"));
    if (dir.isEmpty())
        return;
    QString error;
    if (writeSnapshot(dir, &error))
        statusBar()->showMessage(QStringLiteral("Snapshot written to %1").arg(dir), 5000);
    else
        QMessageBox::warning(this, QStringLiteral("Snapshot failed"), error);
}

void MainWindow::saveRecording()
{
    // Compressed by default: an hour of a 50-replica, 2,000-partition cluster is ~82 MB of
    // JSON, 8.6 MB gzipped (docs/benchmarks.md, "Recording size").
    const QString compressed = QStringLiteral("Compressed recording (*.sbrec.json.gz)");
    QString filter = compressed;
    const QString chosen = QFileDialog::getSaveFileName(this, QStringLiteral("Save recording"), QString(),
        compressed + QStringLiteral(";;Switchboard recording (*.sbrec.json)"), &filter);
    const QString path = models::RecordingStore::pathWithExtension(chosen, filter == compressed);
    if (!path.isEmpty())
        saveRecordingTo(path);
}

bool MainWindow::saveRecordingTo(const QString &path)
{
    if (isSavingRecording()) {
        QMessageBox::information(this, QStringLiteral("Save recording"),
            QStringLiteral("The recording is still being saved to %1; save again once it is done.")
                .arg(m_saveJob->path()));
        return false;
    }
    // Taken now, on this thread, in milliseconds; encoded and written on a pool thread, which
    // takes seconds for an hour's recording and must not hold the GUI thread.
    models::RecordingSaveJob::ExtrasBuilder extras = m_recordingExtras
        ? m_recordingExtras(m_recording->firstAt(), m_recording->lastAt())
        : models::RecordingSaveJob::ExtrasBuilder();
    m_saveJob = new models::RecordingSaveJob(*m_recording, std::move(extras), path, this);
    const QString saving = QStringLiteral("Saving recording to %1…").arg(path);
    statusBar()->showMessage(saving);
    connect(m_saveJob, &models::RecordingSaveJob::progress, this,
        [this, saving](const QString &step) { statusBar()->showMessage(saving + u' ' + step); });
    connect(m_saveJob, &models::RecordingSaveJob::finished, this,
        [this, job = m_saveJob.data()](bool ok, const QString &error) {
            job->deleteLater();
            emit recordingSaved(ok, job->path(), error);
            if (ok) {
                statusBar()->showMessage(QStringLiteral("Recording saved to %1").arg(job->path()), 5000);
                return;
            }
            statusBar()->clearMessage();
            QMessageBox::warning(this, QStringLiteral("Save failed"), error);
        });
    m_saveJob->start();
    return true;
}

void MainWindow::openRecording()
{
    const QString path = QFileDialog::getOpenFileName(this, QStringLiteral("Open recording"), QString(),
        QStringLiteral("Switchboard recording (*.sbrec.json *.sbrec.json.gz);;All files (*)"));
    if (!path.isEmpty())
        openRecordingFile(path);
}

void MainWindow::openRecordingFile(const QString &path)
{
    if (m_openJob && m_openJob->isRunning()) {
        statusBar()->showMessage(QStringLiteral("Still opening %1").arg(m_openJob->path()), 5000);
        return;
    }
    // Read, parsed and decoded on a pool thread: an hour's recording is tens of MB of JSON
    // and tens of thousands of frames.
    statusBar()->showMessage(QStringLiteral("Opening %1…").arg(path));
    auto *job = new models::RecordingOpenJob(path, this);
    m_openJob = job;
    connect(job, &models::RecordingOpenJob::progress, this, [this, path](const QString &step) {
        statusBar()->showMessage(QStringLiteral("Opening %1: %2…").arg(path, step));
    });
    connect(job, &models::RecordingOpenJob::finished, this,
        [this, job, path](
            const std::shared_ptr<models::RecordingOpenJob::Opened> &opened, const QString &error) {
            job->deleteLater();
            statusBar()->clearMessage();
            if (!opened) {
                QMessageBox::warning(this, QStringLiteral("Cannot open recording"), error);
                return;
            }
            showOpened(new ReplayWindow(opened, path, this));
        });
    job->start();
}

void MainWindow::showRecording(
    std::optional<models::RecordingStore> loaded, const QString &path, const QString &error)
{
    statusBar()->clearMessage();
    if (!loaded) {
        QMessageBox::warning(this, QStringLiteral("Cannot open recording"), error);
        return;
    }
    showOpened(new ReplayWindow(models::RecordingReplay(std::move(*loaded)), path, this));
}

void MainWindow::showOpened(ReplayWindow *replay)
{
    // Its own window: the live views stay attached here, the replay shows nothing live.
    replay->setWindowFlag(Qt::Window);
    replay->setAttribute(Qt::WA_DeleteOnClose);
    replay->show();
    emit recordingOpened(replay);
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, QStringLiteral("About Switchboard"),
        QStringLiteral("<h3>Switchboard %1</h3><p>A console for realtime messaging "
                       "clusters — replicas, Kafka lag, Redis sessions and STOMP/SSE "
                       "traffic — with an embeddable STOMP/SSE node.</p>"
                       "<p>Qt %2</p>")
            .arg(QStringLiteral(SB_VERSION), QString::fromLatin1(qVersion())));
}

} // namespace sb::ui
