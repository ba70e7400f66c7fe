#pragma once

#include "models/RecordingOpenJob.h"
#include "models/RecordingSaveJob.h"
#include "models/RecordingStore.h"
#include "ui/SnapshotSource.h"

#include <QDateTime>
#include <QJsonObject>
#include <QMainWindow>
#include <QMap>
#include <QPointer>

#include <functional>
#include <optional>

class QAbstractItemModel;
class QDockWidget;

namespace sb::models {
class AlertModel;
class AttachmentState;
} // namespace sb::models

namespace sb::ui {

class AlertsPanel;
class FaultsPanel;
class AreaView;
class ReplayWindow;

// The console's shell: four dockable areas, menus, a status bar that says what the
// console is attached to, and the window layout persisted across runs.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(
        models::AttachmentState *attachment, models::RecordingStore *recording, QWidget *parent = nullptr);

    AreaView *area(const QString &key) const { return m_areas.value(key); }
    QStringList areaKeys() const;
    QJsonObject snapshotState(
        int maxTableRows = kSnapshotTableRows, SnapshotPurpose purpose = SnapshotPurpose::Snapshot) const;
    // Sections a saved recording carries beside its samples, for the window of time they
    // cover (the Traffic area's frames); set by whoever owns that data. Called on the GUI
    // thread, it takes what it needs cheaply (shared copies) and returns the builder the
    // save runs on a pool thread (models::RecordingSaveJob).
    using RecordingExtras
        = std::function<models::RecordingSaveJob::ExtrasBuilder(const QDateTime &from, const QDateTime &to)>;
    void setRecordingExtras(RecordingExtras extras) { m_recordingExtras = std::move(extras); }
    // Top-level sections of state.json from outside the areas (the fault event log's "events").
    using SnapshotExtras = std::function<QJsonObject()>;
    void setSnapshotExtras(SnapshotExtras extras) { m_snapshotExtras = std::move(extras); }
    // DIR/window.png, DIR/area-<key>.png for each area shown, DIR/state.json.
    bool writeSnapshot(const QString &directory, QString *error);
    // The default layout at this window size, the areas' proportions kept (screenshots at
    // a known size, `--window-size`); the saved geometry is not used.
    void useDefaultLayoutAt(const QSize &size);
    // The Alerts panel (a dock, hidden until Alt+5 or the status bar's count opens it), the
    // count in the status bar and state.json's "alerts" section, all reading `alerts`.
    AlertsPanel *setAlerts(models::AlertModel *alerts);
    QDockWidget *alertsDock() const { return m_alertsDock; }
    // The Faults panel (a dock, hidden until Alt+6 or View → Faults) over the fault event log.
    FaultsPanel *setFaults(QAbstractItemModel *events);
    QDockWidget *faultsDock() const { return m_faultsDock; }

    // File → Save Recording once a path is chosen: the session's recording is saved on a pool
    // thread (the status bar says each step, a failure is shown); false, with a message, when
    // a save is still running.
    bool saveRecordingTo(const QString &path);
    bool isSavingRecording() const { return m_saveJob && m_saveJob->isRunning(); }

    // File → Open Recording once a file is chosen: it is read, its frames decoded and its
    // charts filled on a pool thread (models::RecordingOpenJob; the status bar says each
    // step), then shown in a ReplayWindow of its own; a failure is shown.
    void openRecordingFile(const QString &path);
    // A loaded recording in a ReplayWindow of its own, prepared here; `error` is shown when
    // there is none.
    void showRecording(
        std::optional<models::RecordingStore> loaded, const QString &path, const QString &error = {});

signals:
    void profilesRequested();
    void recordingOpened(ReplayWindow *replay); // for tests
    void recordingSaved(bool ok, const QString &path, const QString &error); // for tests

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createAreas();
    void createMenus();
    void sizeDocksFor(const QSize &window);
    void restoreLayout();
    void saveLayout() const;
    void resetLayout();
    void chooseSnapshotDirectory();
    void saveRecording();
    void openRecording();
    void showAbout();
    void showOpened(ReplayWindow *replay);

    models::AttachmentState *m_attachment = nullptr;
    models::RecordingStore *m_recording = nullptr;
    QMap<QString, AreaView *> m_areas;
    QMap<QString, QDockWidget *> m_docks;
    QByteArray m_defaultLayout;
    RecordingExtras m_recordingExtras;
    SnapshotExtras m_snapshotExtras;
    models::AlertModel *m_alerts = nullptr;
    QDockWidget *m_alertsDock = nullptr;
    QDockWidget *m_faultsDock = nullptr;
    QMenu *m_viewMenu = nullptr;
    QPointer<models::RecordingSaveJob> m_saveJob; // the save running, if any
    QPointer<models::RecordingOpenJob> m_openJob; // the open running, if any
};

} // namespace sb::ui
