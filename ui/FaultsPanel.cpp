#include "ui/FaultsPanel.h"

#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include <functional>

namespace sb::ui {

namespace {
constexpr int kMaxPoison = 1000; // FaultRequest::kMaxPoisonRecords; ui does not see protocol
}

FaultsPanel::FaultsPanel(QAbstractItemModel *events, QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);

    // Row 1: a replica and what to do to it. Row 2: the cluster-wide faults.
    auto *replicaRow = new QHBoxLayout;
    m_replica = new QComboBox(this);
    m_replica->setToolTip(QStringLiteral("The replica that Kill, Drain, Start and Slow consumer act on"));
    m_replica->setMinimumContentsLength(8);
    replicaRow->addWidget(new QLabel(QStringLiteral("Replica:"), this));
    replicaRow->addWidget(m_replica);
    auto *clusterRow = new QHBoxLayout;
    m_count = new QSpinBox(this);
    m_count->setRange(1, kMaxPoison);
    m_count->setValue(5);
    m_count->setToolTip(QStringLiteral("How many poison records"));
    m_user = new QLineEdit(this);
    m_user->setPlaceholderText(QStringLiteral("user"));
    m_user->setToolTip(QStringLiteral("The user whose tokens and sessions Revoke ends on every replica"));
    m_user->setMaximumWidth(120);
    m_bus = new QComboBox(this);
    m_bus->addItems({ QStringLiteral("kafka"), QStringLiteral("redis") });
    m_bus->setToolTip(QStringLiteral("The stage-2 bus Switch bus moves the replicas to"));

    auto replicaArgs = [this] {
        return QJsonObject { { QStringLiteral("replica"), m_replica->currentText() } };
    };
    auto *kill = addFault(QStringLiteral("Kill"),
        QStringLiteral("SIGKILL the replica; it starts again 10 s after it died (Alt+K)"),
        QKeySequence(Qt::ALT | Qt::Key_K),
        [this, replicaArgs] { emit faultRequested(QStringLiteral("kill"), replicaArgs()); });
    auto *drain = addFault(QStringLiteral("Drain"),
        QStringLiteral("SIGTERM the replica: its graceful drain, then it starts again (Alt+D)"),
        QKeySequence(Qt::ALT | Qt::Key_D),
        [this, replicaArgs] { emit faultRequested(QStringLiteral("drain"), replicaArgs()); });
    auto *start = addFault(QStringLiteral("Start"), QStringLiteral("Start the replica if it is down (Alt+S)"),
        QKeySequence(Qt::ALT | Qt::Key_S),
        [this, replicaArgs] { emit faultRequested(QStringLiteral("start"), replicaArgs()); });
    auto *slow = addFault(QStringLiteral("Slow consumer"),
        QStringLiteral("A demo client on the replica that stops reading until the node drops it (Alt+C)"),
        QKeySequence(Qt::ALT | Qt::Key_C),
        [this, replicaArgs] { emit faultRequested(QStringLiteral("slow-consumer"), replicaArgs()); });
    m_replicaActions = { kill, drain, start, slow };
    for (QAction *action : std::as_const(m_replicaActions)) {
        auto *button = new QToolButton(this);
        button->setDefaultAction(action);
        replicaRow->addWidget(button);
    }
    replicaRow->addStretch();

    auto *redis = addFault(QStringLiteral("Restart Redis"),
        QStringLiteral("SIGKILL redis-server; the cluster starts it again (Alt+R)"),
        QKeySequence(Qt::ALT | Qt::Key_R),
        [this] { emit faultRequested(QStringLiteral("restart-redis"), {}); });
    auto *poison = addFault(QStringLiteral("Poison"),
        QStringLiteral("Undecodable records on the stage-1 topic; they must reach its DLT (Alt+P)"),
        QKeySequence(Qt::ALT | Qt::Key_P), [this] {
            emit faultRequested(QStringLiteral("poison"), { { QStringLiteral("count"), m_count->value() } });
        });
    auto *revoke = addFault(QStringLiteral("Revoke"),
        QStringLiteral("End the user's tokens and sessions on every replica (Alt+U)"),
        QKeySequence(Qt::ALT | Qt::Key_U), [this] {
            emit faultRequested(
                QStringLiteral("revoke"), { { QStringLiteral("user"), m_user->text().trimmed() } });
        });
    auto *bus = addFault(QStringLiteral("Switch bus"),
        QStringLiteral("Stage 2 on the chosen bus: a rolling restart of the replicas (Alt+B)"),
        QKeySequence(Qt::ALT | Qt::Key_B), [this] {
            emit faultRequested(QStringLiteral("bus"), { { QStringLiteral("bus"), m_bus->currentText() } });
        });
    auto *burst = addFault(QStringLiteral("Burst ×10"),
        QStringLiteral("The demo users send ten times as much for 10 s (Alt+T)"),
        QKeySequence(Qt::ALT | Qt::Key_T), [this] {
            emit faultRequested(QStringLiteral("burst"),
                { { QStringLiteral("factor"), 10 }, { QStringLiteral("seconds"), 10 } });
        });
    auto *pauseStage1 = addFault(QStringLiteral("Pause stage 1"),
        QStringLiteral(
            "Pause every replica's stage-1 consumer: the group's lag grows, its status turns (Alt+Z)"),
        QKeySequence(Qt::ALT | Qt::Key_Z),
        [this] { emit faultRequested(QStringLiteral("pause-stage1"), {}); });
    auto *resumeStage1 = addFault(QStringLiteral("Resume stage 1"),
        QStringLiteral("Resume the stage-1 consumers: the lag goes back down (Alt+Shift+Z)"),
        QKeySequence(Qt::ALT | Qt::SHIFT | Qt::Key_Z),
        [this] { emit faultRequested(QStringLiteral("resume-stage1"), {}); });
    auto addButton = [this, clusterRow](QAction *action) {
        auto *button = new QToolButton(this);
        button->setDefaultAction(action);
        clusterRow->addWidget(button);
    };
    addButton(redis);
    clusterRow->addWidget(m_count);
    addButton(poison);
    clusterRow->addWidget(m_user);
    addButton(revoke);
    clusterRow->addWidget(m_bus);
    addButton(bus);
    addButton(burst);
    addButton(pauseStage1);
    addButton(resumeStage1);
    clusterRow->addStretch();

    m_outcome = new QLabel(this);
    m_outcome->setWordWrap(false);
    m_outcome->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_endpoint = new QLabel(this);
    m_endpoint->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_endpoint->hide(); // until there is an endpoint to speak of
    // A long reason or error is clipped (the tooltip has it whole) rather than widening the
    // dock past a 1280-pixel window.
    m_outcome->setMinimumWidth(120);
    m_endpoint->setMinimumWidth(120);
    auto *outcomeRow = new QHBoxLayout;
    outcomeRow->addWidget(m_outcome, 1);
    outcomeRow->addWidget(m_endpoint);
    m_table = new QTableView(this);
    m_table->setModel(events);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setWordWrap(false);
    // The newest event in view as it arrives.
    connect(events, &QAbstractItemModel::rowsInserted, m_table, [this] { m_table->scrollToBottom(); });

    layout->addLayout(replicaRow);
    layout->addLayout(clusterRow);
    layout->addLayout(outcomeRow);
    layout->addWidget(m_table, 1);
    setAvailable(false, QStringLiteral("Faults act on the demo cluster; it is starting."));
}

QAction *FaultsPanel::addFault(
    const QString &text, const QString &tip, QKeySequence shortcut, std::function<void()> request)
{
    auto *action = new QAction(text, this);
    action->setToolTip(tip);
    action->setShortcut(shortcut);
    action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(action, &QAction::triggered, this, [request = std::move(request)] { request(); });
    addAction(action);
    m_actions.append(action);
    return action;
}

void FaultsPanel::setReplicas(const QStringList &replicas)
{
    const QString current = m_replica->currentText();
    m_replica->clear();
    m_replica->addItems(replicas);
    if (replicas.contains(current))
        m_replica->setCurrentText(current);
    updateEnabled();
}

void FaultsPanel::setAvailable(bool available, const QString &why)
{
    m_available = available;
    if (!why.isEmpty())
        m_outcome->setText(why);
    updateEnabled();
}

void FaultsPanel::updateEnabled()
{
    for (QAction *action : std::as_const(m_actions))
        action->setEnabled(m_available && (!m_replicaActions.contains(action) || m_replica->count() > 0));
}

void FaultsPanel::showOutcome(bool ok, const QString &message)
{
    m_outcome->setText((ok ? QString() : QStringLiteral("Refused: ")) + message);
    m_outcome->setToolTip(message);
}

void FaultsPanel::showFailure(const QString &message)
{
    m_outcome->setText(QStringLiteral("Not done: ") + message);
    m_outcome->setToolTip(message);
}

void FaultsPanel::setEndpointState(const QString &state, bool healthy)
{
    m_endpoint->setText(state);
    m_endpoint->setToolTip(state);
    m_endpoint->setStyleSheet(healthy ? QString() : QStringLiteral("color: #c62828"));
    m_endpoint->setVisible(!state.isEmpty());
}

QString FaultsPanel::outcome() const
{
    return m_outcome->text();
}

QString FaultsPanel::endpointState() const
{
    return m_endpoint->text();
}

} // namespace sb::ui
