#include "protocol/FaultRequest.h"

#include <QJsonDocument>
#include <QRegularExpression>

#include <array>
#include <cmath>

namespace sb::protocol {

namespace {
using Action = FaultRequest::Action;

struct FaultActionSpec
{
    Action action;
    const char *name;
    const char *mainArgument; // the key a bare word on the command line stands for ("" if none)
    QStringList keys; // every argument it accepts
    const char *help;
};

const std::array<FaultActionSpec, 11> &faultActionSpecs()
{
    static const std::array<FaultActionSpec, 11> specs { {
        { Action::Kill, "kill", "replica",
            { QStringLiteral("replica"), QStringLiteral("restartAfter"), QStringLiteral("stayDown") },
            "kill replica=NODE [restartAfter=SECONDS] [stayDown=true]   SIGKILL, then start it again" },
        { Action::Drain, "drain", "replica",
            { QStringLiteral("replica"), QStringLiteral("restartAfter"), QStringLiteral("stayDown") },
            "drain replica=NODE [restartAfter=SECONDS] [stayDown=true]  SIGTERM (graceful), then start it "
            "again" },
        { Action::Start, "start", "replica", { QStringLiteral("replica") },
            "start replica=NODE                     start a replica that is down" },
        { Action::RestartRedis, "restart-redis", "", {},
            "restart-redis                          SIGKILL redis-server; it is started again" },
        { Action::Poison, "poison", "count", { QStringLiteral("count") },
            "poison [count=N]                       N undecodable stage-1 records (they reach the DLT)" },
        { Action::Revoke, "revoke", "user", { QStringLiteral("user") },
            "revoke user=NAME                       revoke a user's tokens and sessions everywhere" },
        { Action::SwitchBus, "bus", "bus", { QStringLiteral("bus") },
            "bus bus=kafka|redis                    stage 2 on the other bus (rolling restart)" },
        { Action::Burst, "burst", "factor", { QStringLiteral("factor"), QStringLiteral("seconds") },
            "burst [factor=X] [seconds=S]           demo traffic x X for S seconds" },
        { Action::SlowConsumer, "slow-consumer", "replica", { QStringLiteral("replica") },
            "slow-consumer replica=NODE             a demo client that stops reading" },
        { Action::PauseStage1, "pause-stage1", "", {},
            "pause-stage1                           pause the stage-1 consumer group (its lag grows)" },
        { Action::ResumeStage1, "resume-stage1", "", {},
            "resume-stage1                          resume the stage-1 consumer group" },
    } };
    return specs;
}

const FaultActionSpec *specNamed(const QString &name)
{
    for (const FaultActionSpec &spec : faultActionSpecs())
        if (name == QLatin1StringView(spec.name))
            return &spec;
    return nullptr;
}

const FaultActionSpec &specOf(Action action)
{
    for (const FaultActionSpec &spec : faultActionSpecs())
        if (spec.action == action)
            return spec;
    return faultActionSpecs().front();
}

bool isPrintableName(const QString &text, int maxLength)
{
    if (text.isEmpty() || text.size() > maxLength)
        return false;
    for (QChar c : text)
        if (c.category() == QChar::Other_Control || (c.isSpace() && c != u' '))
            return false;
    return true;
}

// An integral JSON number within [min, max]; nullopt with *error otherwise.
std::optional<int> integerArg(
    const QJsonObject &args, const QString &key, int fallback, int min, int max, QString *error)
{
    const QJsonValue value = args.value(key);
    if (value.isUndefined())
        return fallback;
    const double number = value.toDouble(std::nan(""));
    if (!value.isDouble() || !std::isfinite(number) || number != std::floor(number) || number < min
        || number > max) {
        *error = QStringLiteral("%1: expected a whole number from %2 to %3").arg(key).arg(min).arg(max);
        return std::nullopt;
    }
    return int(number);
}
} // namespace

QStringList FaultRequest::actionNames()
{
    QStringList names;
    for (const FaultActionSpec &spec : faultActionSpecs())
        names << QString::fromLatin1(spec.name);
    return names;
}

QString FaultRequest::usage()
{
    QStringList lines;
    for (const FaultActionSpec &spec : faultActionSpecs())
        lines << QStringLiteral("  ") + QString::fromLatin1(spec.help);
    return lines.join(u'\n');
}

QString FaultRequest::name() const
{
    return QString::fromLatin1(specOf(action).name);
}

std::optional<FaultRequest> FaultRequest::parse(
    const QString &actionName, const QJsonObject &args, QString *error)
{
    const FaultActionSpec *spec = specNamed(actionName);
    if (!spec) {
        *error = QStringLiteral("unknown fault action '%1' (actions: %2)")
                     .arg(actionName.left(kMaxNameLength), actionNames().join(QStringLiteral(", ")));
        return std::nullopt;
    }
    const QString prefix = QString::fromLatin1(spec->name) + QStringLiteral(": ");
    for (auto it = args.begin(); it != args.end(); ++it) {
        if (!spec->keys.contains(it.key())) {
            *error = prefix
                + (spec->keys.isEmpty()
                        ? QStringLiteral("takes no arguments, got '%1'").arg(it.key().left(kMaxNameLength))
                        : QStringLiteral("unknown argument '%1' (it takes: %2)")
                              .arg(it.key().left(kMaxNameLength), spec->keys.join(QStringLiteral(", "))));
            return std::nullopt;
        }
    }
    FaultRequest request;
    request.action = spec->action;
    QString why;
    auto fail = [&](const QString &message) {
        *error = prefix + message;
        return std::nullopt;
    };
    if (spec->keys.contains(QStringLiteral("replica"))) {
        static const QRegularExpression replicaName(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"));
        const QJsonValue replica = args.value(QStringLiteral("replica"));
        if (!replica.isString() || !replicaName.match(replica.toString()).hasMatch())
            return fail(
                QStringLiteral("replica: expected a replica id such as node-2 (letters, digits, . _ -)"));
        request.replica = replica.toString();
    }
    if (spec->keys.contains(QStringLiteral("restartAfter"))) {
        const auto after = integerArg(args, QStringLiteral("restartAfter"), kDefaultRestartAfterSeconds, 0,
            kMaxRestartAfterSeconds, &why);
        if (!after)
            return fail(why);
        request.restartAfterSeconds = *after;
        const QJsonValue stayDown = args.value(QStringLiteral("stayDown"));
        if (!stayDown.isUndefined() && !stayDown.isBool())
            return fail(QStringLiteral("stayDown: expected true or false"));
        request.stayDown = stayDown.toBool(false);
    }
    if (spec->action == Action::Poison) {
        const auto count = integerArg(args, QStringLiteral("count"), 1, 1, kMaxPoisonRecords, &why);
        if (!count)
            return fail(why);
        request.count = *count;
    }
    if (spec->action == Action::Revoke) {
        const QJsonValue user = args.value(QStringLiteral("user"));
        if (!user.isString() || !isPrintableName(user.toString(), kMaxUserLength))
            return fail(QStringLiteral("user: expected a user name (1 to %1 printable characters)")
                            .arg(kMaxUserLength));
        request.user = user.toString();
    }
    if (spec->action == Action::SwitchBus) {
        const QString bus = args.value(QStringLiteral("bus")).toString();
        if (bus != u"kafka" && bus != u"redis")
            return fail(QStringLiteral("bus: expected kafka or redis"));
        request.bus = bus;
    }
    if (spec->action == Action::Burst) {
        const QJsonValue factor = args.value(QStringLiteral("factor"));
        const double value = factor.isUndefined() ? kDefaultBurstFactor : factor.toDouble(std::nan(""));
        if (!(factor.isUndefined() || factor.isDouble()) || !std::isfinite(value) || value < 1
            || value > kMaxBurstFactor)
            return fail(QStringLiteral("factor: expected a number from 1 to %1").arg(kMaxBurstFactor));
        request.factor = value;
        const auto seconds
            = integerArg(args, QStringLiteral("seconds"), kDefaultBurstSeconds, 1, kMaxBurstSeconds, &why);
        if (!seconds)
            return fail(why);
        request.seconds = *seconds;
    }
    return request;
}

std::optional<FaultRequest> FaultRequest::fromJson(const QByteArray &body, QString *error)
{
    if (body.size() > kMaxBodyBytes) {
        *error = QStringLiteral("request too large (%1 bytes, limit %2)").arg(body.size()).arg(kMaxBodyBytes);
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (!document.isObject()) {
        *error = parseError.error != QJsonParseError::NoError
            ? QStringLiteral("not JSON: %1 at offset %2").arg(parseError.errorString()).arg(parseError.offset)
            : QStringLiteral("expected a JSON object {\"action\": …, \"args\": {…}}");
        return std::nullopt;
    }
    const QJsonObject object = document.object();
    const QJsonValue action = object.value(QStringLiteral("action"));
    const QJsonValue args = object.value(QStringLiteral("args"));
    if (!action.isString()) {
        *error = QStringLiteral("\"action\": expected a string (actions: %1)")
                     .arg(actionNames().join(QStringLiteral(", ")));
        return std::nullopt;
    }
    if (!args.isUndefined() && !args.isNull() && !args.isObject()) {
        *error = QStringLiteral("\"args\": expected an object");
        return std::nullopt;
    }
    return parse(action.toString(), args.toObject(), error);
}

std::optional<QJsonObject> FaultRequest::argsFromWords(
    const QString &action, const QStringList &words, QString *error)
{
    const FaultActionSpec *spec = specNamed(action);
    if (!spec) {
        *error = QStringLiteral("unknown fault action '%1' (actions: %2)")
                     .arg(action.left(kMaxNameLength), actionNames().join(QStringLiteral(", ")));
        return std::nullopt;
    }
    QJsonObject args;
    for (const QString &word : words) {
        const qsizetype equals = word.indexOf(u'=');
        QString key = equals > 0 ? word.left(equals) : QString::fromLatin1(spec->mainArgument);
        const QString text = equals > 0 ? word.mid(equals + 1) : word;
        if (key.isEmpty() || equals == 0) {
            *error = QStringLiteral("%1: unexpected '%2' (use key=value)")
                         .arg(action, word.left(kMaxNameLength));
            return std::nullopt;
        }
        if (args.contains(key)) {
            *error = QStringLiteral("%1: '%2' given twice").arg(action, key.left(kMaxNameLength));
            return std::nullopt;
        }
        bool isNumber = false;
        const double number = text.toDouble(&isNumber);
        if (isNumber && key != u"replica" && key != u"user")
            args.insert(key, number);
        else if ((text == u"true" || text == u"false") && key == u"stayDown")
            args.insert(key, text == u"true");
        else
            args.insert(key, text);
    }
    return args;
}

QJsonObject FaultRequest::args() const
{
    QJsonObject args;
    switch (action) {
    case Action::Kill:
    case Action::Drain:
        args.insert(QStringLiteral("replica"), replica);
        if (stayDown)
            args.insert(QStringLiteral("stayDown"), true);
        else
            args.insert(QStringLiteral("restartAfter"), restartAfterSeconds);
        break;
    case Action::Start:
    case Action::SlowConsumer:
        args.insert(QStringLiteral("replica"), replica);
        break;
    case Action::RestartRedis:
    case Action::PauseStage1:
    case Action::ResumeStage1:
        break;
    case Action::Poison:
        args.insert(QStringLiteral("count"), count);
        break;
    case Action::Revoke:
        args.insert(QStringLiteral("user"), user);
        break;
    case Action::SwitchBus:
        args.insert(QStringLiteral("bus"), bus);
        break;
    case Action::Burst:
        args.insert(QStringLiteral("factor"), factor);
        args.insert(QStringLiteral("seconds"), seconds);
        break;
    }
    return args;
}

QJsonObject FaultRequest::toJson() const
{
    return { { QStringLiteral("action"), name() }, { QStringLiteral("args"), args() } };
}

} // namespace sb::protocol
