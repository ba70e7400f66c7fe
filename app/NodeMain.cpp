#include "app/NodeMain.h"

#include "app/ModeDispatcher.h"
#include "app/NodeCommandLine.h"
#include "app/SignalNotifier.h"
#include "cluster/InMemoryPresenceCounter.h"
#include "cluster/InMemoryReplayStore.h"
#include "cluster/InMemoryTokenRegistry.h"
#include "cluster/LocalEventBus.h"
#include "node/NodeServer.h"
#include "node/PasswordHasher.h"

#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>
#include <termios.h>
#include <unistd.h>

namespace sb::app {

namespace {
CommandLineOutcome hashPassword()
{
    const bool tty = ::isatty(STDIN_FILENO);
    termios saved{};
    if (tty) {
        std::fputs("Password: ", stderr);
        ::tcgetattr(STDIN_FILENO, &saved);
        termios silent = saved;
        silent.c_lflag &= ~tcflag_t(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSANOW, &silent);
    }
    QTextStream in(stdin);
    const QString password = in.readLine();
    if (tty) {
        ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
        std::fputs("\n", stderr);
    }
    if (password.isEmpty())
        return CommandLineOutcome::exitWith(2, {}, QStringLiteral("switchboard: hash-password: empty password\n"));
    return CommandLineOutcome::exitWith(0, node::PasswordHasher::hash(password) + u'\n', {});
}
} // namespace

CommandLineOutcome NodeMain::run(int argc, char **argv, const QStringList &arguments)
{
    NodeCommandLine commandLine;
    const CommandLineOutcome parsed = commandLine.parse(arguments, NodeCommandLine::systemEnvironment());
    if (!parsed.run)
        return parsed;
    if (commandLine.hashPasswordRequested())
        return hashPassword();
    if (!commandLine.redisUrl().isEmpty() || !commandLine.kafkaBootstrap().isEmpty())
        return CommandLineOutcome::usageError(
            QStringLiteral("node: --redis and --kafka (the cluster adapters) are not in this build yet; "
                           "a single replica runs with in-memory stores"));

    QCoreApplication app(argc, argv);
    ModeDispatcher::identifyApplication();
    qSetMessagePattern(QStringLiteral("%{time yyyy-MM-ddThh:mm:ss.zzz} %{if-debug}debug%{endif}%{if-info}info%{endif}"
                                      "%{if-warning}warn%{endif}%{if-critical}error%{endif}%{if-fatal}fatal%{endif} "
                                      "%{category}: %{message}"));
    const node::NodeConfig &config = commandLine.config();
    if (config.jwtSecretIsRandom)
        qWarning("no --jwt-secret-file: using a random secret, so other replicas cannot verify this one's tokens");

    // Single-process adapters; the cluster issue swaps in Redis and Kafka here, and only here.
    cluster::InMemoryTokenRegistry tokens;
    cluster::InMemoryReplayStore replay(config.limits.replayEventsPerUser);
    cluster::InMemoryPresenceCounter presence;
    cluster::LocalEventBus bus;
    node::NodeServer server(config, {&tokens, &replay, &presence, &bus});

    QString error;
    if (!server.prepare(&error) || !server.listen(&error))
        return CommandLineOutcome::exitWith(1, {}, QStringLiteral("switchboard: node: ") + error + u'\n');

    SignalNotifier terminationSignals;
    QObject::connect(&terminationSignals, &SignalNotifier::terminationRequested, &server, &node::NodeServer::drain);
    QObject::connect(&server, &node::NodeServer::drained, &app, [] { QCoreApplication::exit(0); });

    std::printf("listening http://%s\n", qPrintable(server.address()));
    std::fflush(stdout);
    const int code = app.exec();
    return CommandLineOutcome::exitWith(code, {}, {});
}

} // namespace sb::app
