#pragma once

#include "models/RecordingOpenJob.h"
#include "models/RecordingReplay.h"

#include <QJsonObject>
#include <QMainWindow>
#include <QMap>

#include <memory>

class QLabel;

namespace sb::models {
class SeriesHistory;
}

namespace sb::ui {

class ReplayAreaPane;
class ReplayControls;

// A saved recording in replay (File → Open Recording, `--open-recording`): its own window,
// nothing live attached. A banner says what it is ("RECORDING of <target> from … to …");
// the four areas are laid out as in the console, each showing the tables and figures of the
// sample at the replay position and its chart up to it (Replicas' connections, Kafka's lag,
// Redis' sessions and tokens, Traffic's frame rates); Traffic shows the recorded frames up
// to the position in the live area's own view (ReplayTrafficPane); Alerts lists the alerts
// active then. ReplayControls moves the position (slider, play at 1×–60×). Opening a large
// recording decodes tens of thousands of frames: File → Open Recording does it off the GUI
// thread (models::RecordingOpenJob) and builds the window from what it prepared.
class ReplayWindow : public QMainWindow
{
    Q_OBJECT
public:
    // Decodes the recording's frames and fills its charts here, on the GUI thread: for
    // --open-recording, which shows nothing before the replay, and tests.
    ReplayWindow(models::RecordingReplay replay, const QString &path, QWidget *parent = nullptr);
    // A recording models::RecordingOpenJob prepared off the GUI thread (File → Open Recording).
    ReplayWindow(std::shared_ptr<models::RecordingOpenJob::Opened> opened, const QString &path,
        QWidget *parent = nullptr);
    ~ReplayWindow() override;

    ReplayControls *controls() const { return m_controls; }
    ReplayAreaPane *pane(const QString &key) const { return m_panes.value(key); }
    int shownSample() const { return m_shownSample; }
    QString bannerText() const;
    const models::RecordingReplay &replay() const { return m_replay; }

    void showAt(const QDateTime &at);
    // state.json: the shown sample's views as the replay shows them, plus "recording".
    QJsonObject snapshotState() const;
    bool writeSnapshot(const QString &directory, QString *error);

private:
    void addArea(const QString &key, const QString &title, ReplayAreaPane *pane);

    models::RecordingReplay m_replay;
    QString m_path;
    std::unique_ptr<models::SeriesHistory> m_connections;
    std::unique_ptr<models::SeriesHistory> m_lag;
    std::unique_ptr<models::SeriesHistory> m_sessions;
    std::unique_ptr<models::SeriesHistory> m_frameRates;
    ReplayControls *m_controls = nullptr;
    QLabel *m_banner = nullptr;
    QMap<QString, ReplayAreaPane *> m_panes;
    QMap<QString, QWidget *> m_docks;
    int m_shownSample = -1;
};

} // namespace sb::ui
