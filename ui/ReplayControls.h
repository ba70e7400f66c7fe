#pragma once

#include <QDateTime>
#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

class QComboBox;
class QLabel;
class QSlider;
class QToolButton;

namespace sb::models {
class RecordingReplay;
}

namespace sb::ui {

// The transport of a replay: play/pause at 1×–60×, a time slider over the recording, step
// to the previous/next sample, start/end, and where it is ("23:07:12 · sample 34 of 720").
// Keys: Space play/pause, Left/Right previous/next sample, Home/End, [ and ] slower/faster.
// Playing advances the position by wall time × speed (a 100 ms tick); it stops at the end.
class ReplayControls : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kTickMs = 100;

    explicit ReplayControls(const models::RecordingReplay *replay, QWidget *parent = nullptr);

    QDateTime position() const { return m_position; }
    void setPosition(const QDateTime &at); // clamped to the recording
    bool isPlaying() const { return m_timer.isActive(); }
    void setPlaying(bool playing);
    int speed() const { return m_speed; }
    void setSpeed(int speed); // one of speeds()
    static QList<int> speeds() { return { 1, 2, 5, 10, 30, 60 }; }
    void stepSample(int delta); // to the previous (-1) or next (+1) sample's time

signals:
    void positionChanged(const QDateTime &at);

private:
    void tick();
    void showPosition();

    const models::RecordingReplay *m_replay;
    QDateTime m_position;
    int m_speed = 1;
    QTimer m_timer;
    QElapsedTimer m_sinceTick;
    QToolButton *m_play = nullptr;
    QComboBox *m_speedBox = nullptr;
    QSlider *m_slider = nullptr;
    QLabel *m_where = nullptr;
    bool m_settingSlider = false;
};

} // namespace sb::ui
