#include "ui/ReplayControls.h"

#include "models/RecordingReplay.h"

#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QStyle>
#include <QToolButton>

namespace sb::ui {

ReplayControls::ReplayControls(const models::RecordingReplay *replay, QWidget *parent)
    : QWidget(parent)
    , m_replay(replay)
{
    const auto button
        = [this](QStyle::StandardPixmap icon, const QString &tip, const QKeySequence &key, auto slot) {
              auto *b = new QToolButton(this);
              b->setIcon(style()->standardIcon(icon));
              b->setToolTip(QStringLiteral("%1 (%2)").arg(tip, key.toString(QKeySequence::NativeText)));
              b->setAutoRaise(true);
              connect(b, &QToolButton::clicked, this, slot);
              auto *action = new QAction(this);
              action->setShortcut(key);
              action->setShortcutContext(Qt::WindowShortcut);
              connect(action, &QAction::triggered, this, slot);
              addAction(action);
              return b;
          };
    auto *start = button(QStyle::SP_MediaSkipBackward, tr("To the first sample"), QKeySequence(Qt::Key_Home),
        [this] { setPosition(m_replay->firstAt()); });
    auto *back = button(QStyle::SP_MediaSeekBackward, tr("Previous sample"), QKeySequence(Qt::Key_Left),
        [this] { stepSample(-1); });
    m_play = button(QStyle::SP_MediaPlay, tr("Play or pause"), QKeySequence(Qt::Key_Space),
        [this] { setPlaying(!isPlaying()); });
    auto *forward = button(QStyle::SP_MediaSeekForward, tr("Next sample"), QKeySequence(Qt::Key_Right),
        [this] { stepSample(1); });
    auto *end = button(QStyle::SP_MediaSkipForward, tr("To the last sample"), QKeySequence(Qt::Key_End),
        [this] { setPosition(m_replay->lastAt()); });

    m_speedBox = new QComboBox(this);
    for (int speed : speeds())
        m_speedBox->addItem(QStringLiteral("%1×").arg(speed), speed);
    m_speedBox->setToolTip(tr("Playback speed ([ slower, ] faster)"));
    connect(m_speedBox, &QComboBox::activated, this,
        [this](int index) { setSpeed(m_speedBox->itemData(index).toInt()); });
    const auto speedStep = [this](int delta) {
        const QList<int> all = speeds();
        setSpeed(all.at(qBound(0, int(all.indexOf(m_speed)) + delta, int(all.size()) - 1)));
    };
    auto *slower = new QAction(this);
    slower->setShortcut(QKeySequence(Qt::Key_BracketLeft));
    connect(slower, &QAction::triggered, this, [speedStep] { speedStep(-1); });
    auto *faster = new QAction(this);
    faster->setShortcut(QKeySequence(Qt::Key_BracketRight));
    connect(faster, &QAction::triggered, this, [speedStep] { speedStep(1); });
    addActions({ slower, faster });

    m_slider = new QSlider(Qt::Horizontal, this);
    m_slider->setRange(0, int(qMax<qint64>(0, m_replay->firstAt().secsTo(m_replay->lastAt()))));
    m_slider->setPageStep(60);
    m_slider->setToolTip(tr("Where in the recording the views are"));
    connect(m_slider, &QSlider::valueChanged, this, [this](int seconds) {
        if (!m_settingSlider)
            setPosition(m_replay->firstAt().addSecs(seconds));
    });
    m_where = new QLabel(this);
    m_where->setMinimumWidth(
        m_where->fontMetrics().horizontalAdvance(QStringLiteral("00:00:00 · sample 0000 of 0000")));

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 0, 4, 0);
    for (QWidget *w : { static_cast<QWidget *>(start), static_cast<QWidget *>(back),
             static_cast<QWidget *>(m_play), static_cast<QWidget *>(forward), static_cast<QWidget *>(end),
             static_cast<QWidget *>(m_speedBox) })
        layout->addWidget(w);
    layout->addWidget(m_slider, 1);
    layout->addWidget(m_where);

    m_timer.setInterval(kTickMs);
    connect(&m_timer, &QTimer::timeout, this, &ReplayControls::tick);
    m_position = m_replay->firstAt();
    showPosition();
}

void ReplayControls::setPosition(const QDateTime &at)
{
    if (m_replay->sampleCount() == 0)
        return;
    const QDateTime clamped = qBound(m_replay->firstAt(), at, m_replay->lastAt());
    if (clamped == m_position)
        return;
    m_position = clamped;
    showPosition();
    emit positionChanged(m_position);
}

void ReplayControls::setPlaying(bool playing)
{
    if (playing == isPlaying())
        return;
    if (playing) {
        if (m_position >= m_replay->lastAt())
            setPosition(m_replay->firstAt()); // play again from the start
        m_sinceTick.start();
        m_timer.start();
    } else {
        m_timer.stop();
    }
    m_play->setIcon(style()->standardIcon(playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
}

void ReplayControls::setSpeed(int speed)
{
    if (!speeds().contains(speed))
        return;
    m_speed = speed;
    m_speedBox->setCurrentIndex(int(speeds().indexOf(speed)));
    showPosition();
}

void ReplayControls::stepSample(int delta)
{
    const int index = m_replay->sampleIndexAt(m_position);
    if (index < 0)
        return;
    // Between two samples "previous" is the one shown, as a player's back button.
    const bool between = m_replay->sampleTime(index) < m_position;
    const int target = delta < 0 && between ? index : index + delta;
    setPosition(m_replay->sampleTime(qBound(0, target, m_replay->sampleCount() - 1)));
}

void ReplayControls::tick()
{
    // Wall time since the last tick, not the nominal interval: a busy GUI thread plays late,
    // never slow.
    const qint64 elapsed = m_sinceTick.restart();
    setPosition(m_position.addMSecs(elapsed * m_speed));
    if (m_position >= m_replay->lastAt())
        setPlaying(false);
}

void ReplayControls::showPosition()
{
    const int index = m_replay->sampleIndexAt(m_position);
    m_where->setText(index < 0 ? tr("no samples")
                               : tr("%1 · sample %2 of %3")
                                     .arg(m_position.toLocalTime().toString(QStringLiteral("HH:mm:ss")))
                                     .arg(index + 1)
                                     .arg(m_replay->sampleCount()));
    m_settingSlider = true;
    m_slider->setValue(int(m_replay->firstAt().secsTo(m_position)));
    m_settingSlider = false;
}

} // namespace sb::ui
