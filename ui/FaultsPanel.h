#pragma once

#include <QJsonObject>
#include <QWidget>

class QAbstractItemModel;
class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTableView;

namespace sb::ui {

// The Faults panel: one button per fault action (kill, drain, start a replica chosen above
// them; restart Redis; poison records; revoke a user; switch the stage-2 bus; burst and a
// slow consumer for the demo's users), each with a tooltip and an Alt+key shortcut, and the
// fault event log beneath (time, action, args, outcome, effect observed). It only asks:
// faultRequested(action, args) goes to whoever can act (the console's demo), and
// showOutcome() says what became of it. Knows nothing of the cluster.
class FaultsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit FaultsPanel(QAbstractItemModel *events, QWidget *parent = nullptr);

    // The replicas the replica actions may name; empty: those actions are off.
    void setReplicas(const QStringList &replicas);
    // Off, with the reason in the panel, where no cluster can take faults (a profile).
    void setAvailable(bool available, const QString &why);
    void showOutcome(bool ok, const QString &message);
    // Neither done nor refused: the request got no answer that says (an unreachable endpoint).
    void showFailure(const QString &message);
    // Where faults go and whether it answers (an attached devcluster's control endpoint:
    // "devcluster at http://127.0.0.1:PORT", "control endpoint unreachable: …"); empty: nothing
    // to say (the demo). Beside the outcome, so the two never overwrite each other.
    void setEndpointState(const QString &state, bool healthy);
    QString outcome() const;
    QString endpointState() const;

    QTableView *table() const { return m_table; }
    QList<QAction *> faultActions() const { return m_actions; }

signals:
    void faultRequested(const QString &action, const QJsonObject &args);

private:
    QAction *addFault(
        const QString &text, const QString &tip, QKeySequence shortcut, std::function<void()> request);
    void updateEnabled();

    QComboBox *m_replica = nullptr;
    QSpinBox *m_count = nullptr;
    QLineEdit *m_user = nullptr;
    QComboBox *m_bus = nullptr;
    QLabel *m_outcome = nullptr;
    QLabel *m_endpoint = nullptr;
    QTableView *m_table = nullptr;
    QList<QAction *> m_actions;
    QList<QAction *> m_replicaActions;
    bool m_available = false;
};

} // namespace sb::ui
