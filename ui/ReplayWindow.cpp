#include "ui/ReplayWindow.h"

#include "models/SeriesHistory.h"
#include "ui/ReplayAreaPane.h"
#include "ui/ReplayControls.h"
#include "ui/ReplayTrafficPane.h"
#include "ui/SnapshotWriter.h"

#include <QDockWidget>
#include <QFileInfo>
#include <QIcon>
#include <QLabel>
#include <QToolBar>
#include <QVBoxLayout>

namespace sb::ui {

namespace {
// The live views' column order, for recordings whose samples do not carry it.
const QStringList kReplicaColumns { QStringLiteral("Replica"), QStringLiteral("State"),
    QStringLiteral("Since") };
const QStringList kGroupColumns { QStringLiteral("Group"), QStringLiteral("State"), QStringLiteral("Members"),
    QStringLiteral("Status"), QStringLiteral("Lag"), QStringLiteral("Partitions") };
const QStringList kTopicColumns { QStringLiteral("Topic"), QStringLiteral("Partitions"),
    QStringLiteral("Messages") };
const QStringList kPartitionColumns { QStringLiteral("Topic"), QStringLiteral("Partition") };
const QStringList kKeyColumns { QStringLiteral("key"), QStringLiteral("type"), QStringLiteral("ttl") };
const QStringList kFrameColumns { QStringLiteral("time"), QStringLiteral("replica"),
    QStringLiteral("transport"), QStringLiteral("dir"), QStringLiteral("command"),
    QStringLiteral("destination"), QStringLiteral("user"), QStringLiteral("session"),
    QStringLiteral("messageId"), QStringLiteral("bytes") };
const QStringList kAlertColumns { QStringLiteral("severity"), QStringLiteral("rule"),
    QStringLiteral("subject"), QStringLiteral("since"), QStringLiteral("figure") };
} // namespace

ReplayWindow::ReplayWindow(models::RecordingReplay replay, const QString &path, QWidget *parent)
    : ReplayWindow(models::RecordingOpenJob::prepare(std::move(replay)), path, parent)
{ }

ReplayWindow::ReplayWindow(
    std::shared_ptr<models::RecordingOpenJob::Opened> opened, const QString &path, QWidget *parent)
    : QMainWindow(parent)
    , m_replay(std::move(opened->replay))
    , m_path(path)
    , m_connections(std::move(opened->connections))
    , m_lag(std::move(opened->lag))
    , m_sessions(std::move(opened->sessions))
    , m_frameRates(std::move(opened->frameRates))
{
    setObjectName(QStringLiteral("replayWindow"));
    setAttribute(Qt::WA_DeleteOnClose, false);
    setWindowTitle(QStringLiteral("Switchboard — recording %1").arg(QFileInfo(path).fileName()));
    setWindowIcon(QIcon(QStringLiteral(":/icons/switchboard.svg")));
    setDockOptions(AnimatedDocks | AllowNestedDocks | AllowTabbedDocks);
    m_banner = new QLabel(bannerText(), this);
    m_banner->setObjectName(QStringLiteral("replayBanner"));
    m_banner->setStyleSheet(QStringLiteral(
        "QLabel { background: #fff3cd; color: #5c4400; padding: 4px 8px; font-weight: bold; }"));
    m_banner->setToolTip(
        QStringLiteral("A saved recording, replayed: nothing live is attached to this window. %1").arg(path));
    m_controls = new ReplayControls(&m_replay, this);
    auto *top = new QWidget(this);
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->setSpacing(2);
    topLayout->addWidget(m_banner);
    topLayout->addWidget(m_controls);
    auto *bar = new QToolBar(QStringLiteral("Replay"), this);
    bar->setObjectName(QStringLiteral("replayBar"));
    bar->setMovable(false);
    bar->addWidget(top);
    addToolBar(Qt::TopToolBarArea, bar);

    addArea(QStringLiteral("replicas"), QStringLiteral("Replicas"),
        new ReplayAreaPane({ { QStringLiteral("Replicas"), QStringLiteral("rows"), QStringLiteral("columns"),
                               kReplicaColumns } },
            m_connections.get(), QStringLiteral("connections"), this));
    addArea(QStringLiteral("kafka"), QStringLiteral("Kafka"),
        new ReplayAreaPane({ { QStringLiteral("Groups"), QStringLiteral("groups"),
                                 QStringLiteral("groupColumns"), kGroupColumns },
                               { QStringLiteral("Topics"), QStringLiteral("topics"),
                                   QStringLiteral("topicColumns"), kTopicColumns },
                               { QStringLiteral("Partitions"), QStringLiteral("partitions"),
                                   QStringLiteral("partitionColumns"), kPartitionColumns } },
            m_lag.get(), QStringLiteral("lag"), this));
    addArea(QStringLiteral("redis"), QStringLiteral("Redis"),
        new ReplayAreaPane(
            { { QStringLiteral("Keys"), QStringLiteral("rows"), QStringLiteral("columns"), kKeyColumns } },
            m_sessions.get(), QStringLiteral("sessions and tokens"), this));
    // The recorded frames when the file has its traffic section; a recording saved before
    // it had one shows the sample's rows, as recorded.
    addArea(QStringLiteral("traffic"), QStringLiteral("Traffic"),
        m_replay.hasRecordedTraffic()
            ? new ReplayTrafficPane(
                std::move(opened->frames), m_replay.omittedFrames(), m_frameRates.get(), this)
            : new ReplayAreaPane({ { QStringLiteral("Frames"), QStringLiteral("rows"),
                                     QStringLiteral("columns"), kFrameColumns } },
                m_frameRates.get(), QStringLiteral("frames/s"), this));
    addArea(QStringLiteral("alerts"), QStringLiteral("Alerts"),
        new ReplayAreaPane(
            { { QStringLiteral("Active"), QStringLiteral("active"), QString(), kAlertColumns },
                { QStringLiteral("Recent"), QStringLiteral("recent"), QString(), kAlertColumns } },
            nullptr, QString(), this));
    // The console's arrangement: Replicas over Redis on the left, Kafka over Traffic on the
    // right.
    setCentralWidget(nullptr);
    auto *replicas = static_cast<QDockWidget *>(m_docks[QStringLiteral("replicas")]);
    auto *kafka = static_cast<QDockWidget *>(m_docks[QStringLiteral("kafka")]);
    addDockWidget(Qt::LeftDockWidgetArea, replicas);
    splitDockWidget(replicas, kafka, Qt::Horizontal);
    splitDockWidget(replicas, static_cast<QDockWidget *>(m_docks[QStringLiteral("redis")]), Qt::Vertical);
    splitDockWidget(kafka, static_cast<QDockWidget *>(m_docks[QStringLiteral("traffic")]), Qt::Vertical);
    // Alerts share Traffic's place, a tab each: the alerts of a moment are a few rows.
    auto *traffic = static_cast<QDockWidget *>(m_docks[QStringLiteral("traffic")]);
    tabifyDockWidget(traffic, static_cast<QDockWidget *>(m_docks[QStringLiteral("alerts")]));
    traffic->raise();
    resize(1280, 800);
    resizeDocks({ replicas, kafka }, { 560, 720 }, Qt::Horizontal); // the console's proportions

    connect(m_controls, &ReplayControls::positionChanged, this, &ReplayWindow::showAt);
    showAt(m_replay.firstAt());
}

ReplayWindow::~ReplayWindow() = default;

void ReplayWindow::addArea(const QString &key, const QString &title, ReplayAreaPane *pane)
{
    auto *dock = new QDockWidget(title, this);
    dock->setObjectName(key + QStringLiteral("ReplayDock"));
    dock->setWidget(pane);
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    m_panes.insert(key, pane);
    m_docks.insert(key, dock);
}

QString ReplayWindow::bannerText() const
{
    if (m_replay.sampleCount() == 0)
        return QStringLiteral("RECORDING (empty: it holds no samples)");
    const QString format = QStringLiteral("yyyy-MM-dd HH:mm:ss");
    return QStringLiteral("RECORDING of %1 from %2 to %3 — replay, nothing live attached")
        .arg(m_replay.target(), m_replay.firstAt().toLocalTime().toString(format),
            m_replay.lastAt().toLocalTime().toString(format));
}

void ReplayWindow::showAt(const QDateTime &at)
{
    const int index = m_replay.sampleIndexAt(at);
    if (index < 0)
        return;
    if (index != m_shownSample) {
        m_shownSample = index;
        const QJsonObject &state = m_replay.sampleState(index);
        const QDateTime sampleAt = m_replay.sampleTime(index);
        for (auto it = m_panes.cbegin(); it != m_panes.cend(); ++it)
            it.value()->showState(state.value(it.key()).toObject(), sampleAt);
    }
    for (ReplayAreaPane *pane : std::as_const(m_panes))
        pane->setPosition(at);
    if (m_controls->position() != at)
        m_controls->setPosition(at);
}

QJsonObject ReplayWindow::snapshotState() const
{
    QJsonObject state;
    if (m_shownSample >= 0)
        state = m_replay.sampleState(m_shownSample); // what the sample recorded (attachment, events, …)
    for (auto it = m_panes.cbegin(); it != m_panes.cend(); ++it)
        state.insert(it.key(), it.value()->snapshotState());
    state.insert(QStringLiteral("recording"),
        QJsonObject { { QStringLiteral("file"), m_path }, { QStringLiteral("target"), m_replay.target() },
            { QStringLiteral("from"), m_replay.firstAt().toUTC().toString(Qt::ISODateWithMs) },
            { QStringLiteral("to"), m_replay.lastAt().toUTC().toString(Qt::ISODateWithMs) },
            { QStringLiteral("at"), m_controls->position().toUTC().toString(Qt::ISODateWithMs) },
            { QStringLiteral("sampleIndex"), m_shownSample },
            { QStringLiteral("sampleAt"),
                m_shownSample >= 0 ? m_replay.sampleTime(m_shownSample).toUTC().toString(Qt::ISODateWithMs)
                                   : QString() },
            { QStringLiteral("samples"), m_replay.sampleCount() },
            { QStringLiteral("banner"), bannerText() } });
    return state;
}

bool ReplayWindow::writeSnapshot(const QString &directory, QString *error)
{
    QMap<QString, QWidget *> shown;
    for (auto it = m_panes.cbegin(); it != m_panes.cend(); ++it) {
        it.value()->refreshChart();
        if (it.value()->isVisible())
            shown.insert(it.key(), it.value());
    }
    return SnapshotWriter::write(this, shown, snapshotState(), directory, error);
}

} // namespace sb::ui
