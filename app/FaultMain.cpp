#include "app/FaultMain.h"

#include "app/ApplicationIdentity.h"
#include "app/FaultCommandLine.h"
#include "app/FaultControlClient.h"

#include <QCoreApplication>

namespace sb::app {

CommandLineOutcome FaultMain::run(int argc, char **argv, const QStringList &arguments)
{
    FaultCommandLine commandLine;
    const CommandLineOutcome parsed = commandLine.parse(arguments);
    if (!parsed.run)
        return parsed;

    QCoreApplication app(argc, argv);
    identifyApplication();
    FaultControlClient client(commandLine.control(), commandLine.timeoutMs());
    CommandLineOutcome outcome;
    QObject::connect(
        &client, &FaultControlClient::faultAnswered, &app, [&](const FaultControlAnswer &answer) {
            const QString name = commandLine.request().name();
            switch (answer.kind) {
            case FaultControlAnswer::Kind::Done:
                outcome = CommandLineOutcome::exitWith(0,
                    QStringLiteral("%1: %2 (event %3)\n").arg(name, answer.message).arg(answer.eventId), {});
                break;
            case FaultControlAnswer::Kind::Unreachable:
                outcome = CommandLineOutcome::exitWith(1, {},
                    QStringLiteral("switchboard: fault %1: control endpoint %2 unreachable: %3\n")
                        .arg(name, commandLine.control().toString(), answer.message));
                break;
            default:
                // 400: the endpoint refused the request itself (an older or newer devcluster).
                outcome = CommandLineOutcome::exitWith(answer.httpStatus == 400 ? 2 : 1, {},
                    QStringLiteral("switchboard: fault %1: %2\n").arg(name, answer.message));
            }
            QCoreApplication::quit();
        });
    client.sendFault(commandLine.request());
    app.exec();
    return outcome;
}

} // namespace sb::app
