#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>

#include <optional>

namespace sb::app {

// What fault injection did and what came of it: one row per action (time, action, args,
// what was done at once, and the effect the action watched for until its deadline — e.g.
// "down: /healthz/live refused after 0.1 s; ready again after 6.3 s"). A bounded log
// (oldest rows dropped), shown by the Faults panel, served by the devcluster's control
// endpoint (GET /events) and written to state.json as `events`. Headless: QtCore only.
class FaultEventLog : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Time, Action, Arguments, Outcome, Effect, ColumnCount };
    enum class EffectState { Watching, Observed, NotObserved, None };

    struct Event
    {
        int id = 0;
        QDateTime at;
        QString action;
        QJsonObject args;
        bool accepted = false; // the action could be taken (the replica existed, …)
        QString outcome; // what was done at once, or why not
        EffectState effectState = EffectState::None;
        QStringList effect; // what was seen, in order, each with its time since `at`
    };

    static constexpr int kMaxEvents = 500;

    explicit FaultEventLog(QObject *parent = nullptr);

    // A new row; returns its id (for the effect lines that follow).
    int add(const QString &action, const QJsonObject &args, bool accepted, const QString &outcome);
    // One more thing seen for event `id` ("+2.1 s: … "), still watching.
    void observe(int id, const QString &what);
    // The watch ended: it saw what it waited for (Observed) or its deadline passed first.
    // Only a watched event ends, and only once: later calls for it are ignored.
    void finish(int id, EffectState state, const QString &what);

    // Another log's rows in place of this one's: the console attached to a devcluster shows
    // (and snapshots, and records) the events the devcluster's own actions wrote, as its
    // control endpoint serves them (GET /events). Rows still the same are left alone, changed
    // ones updated in place, new ones appended, the oldest dropped as the devcluster dropped
    // them; anything else (another devcluster, a restarted one) replaces the table. A row
    // whose watch ended since the last call is reported by finished().
    void mirror(const QList<Event> &events);
    // An event as toJson() wrote it; nullopt when `json` is not one (no id, no time, no action).
    static std::optional<Event> eventFromJson(const QJsonObject &json);

    const QList<Event> &events() const { return m_events; }
    const Event *eventWithId(int id) const;
    QJsonObject toJson(const Event &event) const;
    QJsonArray toJson() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

signals:
    // An event's effect watch ended (for `switchboard fault --wait` and tests).
    void finished(int id);

private:
    int rowOf(int id) const;
    void append(int row, const QString &what);

    QList<Event> m_events;
    int m_nextId = 1;
};

} // namespace sb::app
