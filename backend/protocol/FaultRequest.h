#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace sb::protocol {

// One fault-injection request against a development cluster: an action and its arguments,
// validated. The same record comes from the Faults panel, `switchboard fault ACTION ARGS`,
// the devcluster's control endpoint (POST /faults, body {"action": …, "args": {…}}) and a
// `--demo-script` step, so every path refuses the same inputs with the same one-line error.
// Pure: no I/O; fuzzed by fuzz/fuzz_fault_request.cpp.
struct FaultRequest
{
    enum class Action {
        Kill, // SIGKILL a replica, start it again after restartAfterSeconds
        Drain, // SIGTERM a replica (graceful drain), start it again after restartAfterSeconds
        Start, // start a replica that is down
        RestartRedis, // SIGKILL the redis-server child; the cluster starts it again
        Poison, // `count` undecodable records on the stage-1 topic: they must reach the DLT
        Revoke, // every token and live session of `user`, on every replica
        SwitchBus, // stage 2 on `bus` (kafka | redis): a rolling restart of the replicas
        Burst, // the demo population's rate × factor for `seconds`
        SlowConsumer, // a demo client on `replica` that stops reading until the node drops it
        PauseStage1, // every running replica's stage-1 consumer paused: the group's lag grows
        ResumeStage1, // and resumed: the lag goes back down
    };

    Action action = Action::Kill;
    QString replica;
    int restartAfterSeconds = kDefaultRestartAfterSeconds;
    bool stayDown = false; // kill, drain: do not start it again
    int count = 1;
    QString user;
    QString bus;
    double factor = kDefaultBurstFactor;
    int seconds = kDefaultBurstSeconds;

    static constexpr int kDefaultRestartAfterSeconds = 10;
    static constexpr int kMaxRestartAfterSeconds = 3600;
    static constexpr int kMaxPoisonRecords = 1000;
    static constexpr double kDefaultBurstFactor = 10;
    static constexpr double kMaxBurstFactor = 100;
    static constexpr int kDefaultBurstSeconds = 10;
    static constexpr int kMaxBurstSeconds = 600;
    static constexpr int kMaxNameLength = 64;
    static constexpr int kMaxUserLength = 256;
    static constexpr qsizetype kMaxBodyBytes = 16 * 1024;

    // Validates `args` for `action`; nullopt with a one-line *error naming what is wrong.
    static std::optional<FaultRequest> parse(const QString &action, const QJsonObject &args, QString *error);
    // A control-endpoint body, {"action": "kill", "args": {"replica": "node-2"}}.
    static std::optional<FaultRequest> fromJson(const QByteArray &body, QString *error);
    // The command line's words after ACTION: `key=value` pairs (numbers and true/false
    // typed), or one bare word for the action's main argument (`kill node-2`, `poison 5`).
    static std::optional<QJsonObject> argsFromWords(
        const QString &action, const QStringList &words, QString *error);

    static QStringList actionNames();
    // One line per action with its arguments, for --help and a usage error.
    static QString usage();

    QString name() const;
    // The arguments that matter for this action, as given or defaulted.
    QJsonObject args() const;
    QJsonObject toJson() const;
};

} // namespace sb::protocol
