#include "ui/TrafficCaptureMenu.h"

#include "ui/AreaAction.h"
#include "ui/KafkaTailDialog.h"
#include "ui/ProbeDialog.h"

#include <QAction>
#include <QFileDialog>
#include <QInputDialog>
#include <QLineEdit>
#include <QMenu>
#include <QWidget>

namespace sb::ui {

TrafficCaptureMenu::TrafficCaptureMenu(QWidget *area, std::function<qsizetype()> bufferCapacity)
    : QObject(area)
    , m_area(area)
    , m_bufferCapacity(std::move(bufferCapacity))
    , m_menu(new QMenu(area))
{
    add(tr("Open capture…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O),
        tr("Open a traffic capture (JSON Lines) offline, with filters and trace"),
        [this] { chooseOpenFile(); });
    add(tr("Save capture…"), QKeySequence(), tr("Save every captured frame as JSON Lines"),
        [this] { chooseSaveFile(false); });
    add(tr("Export shown frames…"), QKeySequence(), tr("Save only the frames the filter shows"),
        [this] { chooseSaveFile(true); });
    add(tr("Clear capture"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_K),
        tr("Forget every captured frame"), [this] { emit clearRequested(); });
    add(tr("Buffer size…"), QKeySequence(), tr("How many frames the capture keeps"),
        [this] { chooseCapacity(); });
    m_menu->addSeparator();
    add(tr("Monitor Redis pub/sub…"), QKeySequence(),
        tr("PSUBSCRIBE a pattern (the stage-2 bus by default); messages join the timeline"),
        [this] { chooseRedisPattern(); });
    add(tr("Stop the Redis monitor"), QKeySequence(), tr("Stop reading Redis pub/sub"),
        [this] { emit redisMonitorRequested({}); });
    add(tr("Tail Kafka topics…"), QKeySequence(),
        tr("Read topics from latest, earliest, an offset or a time, never joining a group"),
        [this] { chooseKafkaTail(); });
    add(tr("Stop the Kafka tail"), QKeySequence(), tr("Stop reading Kafka topics"),
        [this] { emit kafkaTailRequested({}, 0, 0, {}); });
    add(tr("Probe an endpoint…"), QKeySequence(),
        tr("Connect a STOMP (or SockJS) or SSE client of your own to any URL; its frames join the timeline"),
        [this] { chooseProbe(); });
    add(tr("Send with the probe…"), QKeySequence(), tr("SEND a frame through the running STOMP probe"),
        [this] { chooseProbeSend(); });
    add(tr("Stop the probe"), QKeySequence(), tr("Close the probe's connection"),
        [this] { emit probeStopRequested(); });
}

QAction *TrafficCaptureMenu::add(
    const QString &text, const QKeySequence &keys, const QString &tip, const std::function<void()> &slot)
{
    QAction *action = addAreaAction(m_area, text, keys, tip); // its shortcut works with the menu closed
    connect(action, &QAction::triggered, this, slot);
    m_menu->addAction(action);
    return action;
}

void TrafficCaptureMenu::setSuggestions(const QStringList &kafkaTopics, const QString &redisPattern)
{
    m_suggestedTopics = kafkaTopics;
    m_suggestedPattern = redisPattern;
}

void TrafficCaptureMenu::chooseOpenFile()
{
    const QString path = QFileDialog::getOpenFileName(m_area, tr("Open traffic capture"), QString(),
        tr("Traffic captures (*.jsonl *.sbtraffic.jsonl);;All files (*)"));
    if (!path.isEmpty())
        emit openCaptureRequested(path);
}

void TrafficCaptureMenu::chooseSaveFile(bool shownOnly)
{
    QString path = QFileDialog::getSaveFileName(m_area,
        shownOnly ? tr("Export shown frames") : tr("Save traffic capture"),
        QStringLiteral("traffic.sbtraffic.jsonl"), tr("Traffic captures (*.jsonl)"));
    if (path.isEmpty())
        return;
    if (!path.endsWith(u".jsonl"))
        path += QStringLiteral(".sbtraffic.jsonl");
    emit saveCaptureRequested(path, shownOnly);
}

void TrafficCaptureMenu::chooseCapacity()
{
    bool ok = false;
    const int frames = QInputDialog::getInt(m_area, tr("Capture buffer"),
        tr("Frames to keep (the oldest go first; about 1 KiB each):"), int(m_bufferCapacity()), 1000, 5000000,
        10000, &ok);
    if (ok)
        emit bufferCapacityRequested(frames);
}

void TrafficCaptureMenu::chooseRedisPattern()
{
    bool ok = false;
    const QString pattern = QInputDialog::getText(m_area, tr("Monitor Redis pub/sub"),
        tr("PSUBSCRIBE pattern (glob; the stage-2 bus is sb:bus:*):"), QLineEdit::Normal, m_suggestedPattern,
        &ok)
                                .trimmed();
    if (ok && !pattern.isEmpty())
        emit redisMonitorRequested(pattern);
}

void TrafficCaptureMenu::chooseKafkaTail()
{
    KafkaTailDialog dialog(m_suggestedTopics, m_area);
    if (dialog.exec() != QDialog::Accepted)
        return;
    emit kafkaTailRequested(dialog.topics(), int(dialog.startFrom()), dialog.offset(), dialog.time());
}

void TrafficCaptureMenu::chooseProbe()
{
    auto *dialog = new ProbeDialog(m_area);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ProbeDialog::stompProbeRequested, this, &TrafficCaptureMenu::stompProbeRequested);
    connect(dialog, &ProbeDialog::sseProbeRequested, this, &TrafficCaptureMenu::sseProbeRequested);
    dialog->open();
}

void TrafficCaptureMenu::chooseProbeSend()
{
    bool ok = false;
    const QString destination = QInputDialog::getText(m_area, tr("Send with the probe"), tr("Destination:"),
        QLineEdit::Normal, QStringLiteral("/app/channels.general"), &ok)
                                    .trimmed();
    if (!ok || destination.isEmpty())
        return;
    const QString body = QInputDialog::getMultiLineText(m_area, tr("Send with the probe"), tr("Body:"),
        QStringLiteral("{\"text\": \"hello from the probe\"}"), &ok);
    if (ok)
        emit probeSendRequested(destination, body.toUtf8());
}

} // namespace sb::ui
