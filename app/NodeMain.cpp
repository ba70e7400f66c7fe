#include "app/NodeMain.h"

#include "app/FatalSignalReport.h"
#include "app/ModeDispatcher.h"
#include "app/NodeAssembly.h"
#include "app/NodeCommandLine.h"
#include "app/SignalNotifier.h"
#include "node/NodeServer.h"
#include "node/PasswordHasher.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QTextStream>
#include <QUuid>

#include <cstdio>
#include <termios.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcNodeMain, "sb.node.main")

namespace sb::app {

namespace {
CommandLineOutcome hashPassword()
{
    const bool tty = ::isatty(STDIN_FILENO);
    termios saved {};
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
        return CommandLineOutcome::exitWith(
            2, {}, QStringLiteral("switchboard: hash-password: empty password\n"));
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
    FatalSignalReport::install("switchboard node");

    // Qt's Unix event dispatcher, not glib's, for this headless process and its worker
    // threads (read when the application and each thread make their dispatcher). Every write
    // arms a socket's write notifier and every flush disarms it; glib finds a notifier to
    // remove by walking a list of all of them, so at 1,000 subscribers that churn was ~19 %
    // of the node's CPU (docs/benchmarks.md, "Tuning the hot path"). An operator who sets
    // QT_NO_GLIB (empty: glib's dispatcher) decides.
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    ModeDispatcher::identifyApplication();
    qSetMessagePattern(
        QStringLiteral("%{time yyyy-MM-ddThh:mm:ss.zzz} %{if-debug}debug%{endif}%{if-info}info%{endif}"
                       "%{if-warning}warn%{endif}%{if-critical}error%{endif}%{if-fatal}fatal%{endif} "
                       "%{category}: %{message}"));
    node::NodeConfig config = commandLine.config();
    // One boot id names this process everywhere: /admin/stats, the registry, and its
    // per-boot Kafka broadcast group.
    config.bootId = QUuid::createUuid().toString(QUuid::Id128).left(8);
    if (config.jwtSecretIsRandom)
        qCWarning(lcNodeMain,
            "no --jwt-secret-file: using a random secret, so other replicas cannot verify this one's tokens");

    // The adapters are chosen here and only here: in-memory, or Redis and Kafka.
    NodeAssembly assembly(config, commandLine.clusterOptions());
    QString error;
    if (!assembly.assemble(&error))
        return CommandLineOutcome::usageError(QStringLiteral("node: ") + error);
    node::NodeServer server(config, assembly.adapters());
    if (!server.prepare(&error) || !assembly.start(&server, &error) || !server.listen(&error)) {
        assembly.stop(); // no Kafka or Redis callback may reach the server as it goes
        return CommandLineOutcome::exitWith(1, {}, QStringLiteral("switchboard: node: ") + error + u'\n');
    }

    SignalNotifier terminationSignals;
    QObject::connect(
        &terminationSignals, &SignalNotifier::terminationRequested, &server, &node::NodeServer::requestStop);
    QObject::connect(&server, &node::NodeServer::drained, &app, [&assembly] {
        assembly.stop(); // commits and leaves the Kafka groups before the process goes
        QCoreApplication::exit(0);
    });

    std::printf("listening http://%s\n", qPrintable(server.address()));
    std::fflush(stdout);
    const int code = app.exec();
    return CommandLineOutcome::exitWith(code, {}, {});
}

} // namespace sb::app
