#pragma once

#include "ui/ReplayAreaPane.h"

#include "protocol/TrafficFrame.h"

#include <memory>

namespace sb::models {
class TrafficBuffer;
class TrafficModel;
} // namespace sb::models

namespace sb::ui {

class TrafficView;

// The Traffic area of a recording in replay: the live area's own view (TrafficView: its
// table, filter, find, the selected frame decoded, trace, session ladder and Rates chart),
// showing the frames the recording's traffic section holds up to the replay position, and
// the Rates chart's window ending there. Moving forward appends the frames passed; moving
// back rebuilds the table from the first frame. Nothing live is attached: no Capture menu.
// Its figures line (which the recorded samples leave empty for Traffic) is computed from
// the recorded frames at the position.
class ReplayTrafficPane : public ReplayAreaPane
{
    Q_OBJECT
public:
    // `frames` in time order (RecordingReplay::recordedFrames); `rates` filled by the caller
    // from the whole recording (RecordingReplay::fillFrameRates). `omitted`: frames of the
    // window the save left out.
    ReplayTrafficPane(QList<protocol::TrafficFrame> frames, qint64 omitted,
        const models::SeriesHistory *rates, QWidget *parent = nullptr);
    ~ReplayTrafficPane() override;

    void setPosition(const QDateTime &at) override;
    void refreshChart() override;
    // The recorded area state of the sample shown, with the rows, filter and counts read
    // back from the view (what the user sees at the position).
    QJsonObject snapshotState(int maxTableRows = kSnapshotTableRows,
        SnapshotPurpose purpose = SnapshotPurpose::Snapshot) const override;

    TrafficView *view() const { return m_view; }
    const models::TrafficModel *model() const { return m_model.get(); }
    int framesShown() const { return m_framesShown; } // up to the position, before the filter

private:
    QString bannerText(const QDateTime &at) const;
    // The figures line at `at`, from the recorded frames: how many up to it, and the frames
    // per second over the kRateWindowMs before it, in all and per replica.
    QString figuresAt(qint64 atMs) const;

    static constexpr qint64 kRateWindowMs = 5000;

    QList<protocol::TrafficFrame> m_frames;
    qint64 m_omitted = 0;
    std::unique_ptr<models::TrafficBuffer> m_buffer;
    std::unique_ptr<models::TrafficModel> m_model;
    TrafficView *m_view = nullptr;
    int m_framesShown = 0;
};

} // namespace sb::ui
