#include "app/ConsoleCommandLine.h"
#include "app/ConsoleController.h"
#include "app/ModeDispatcher.h"
#include "models/ProfileStore.h"

#include <QApplication>
#include <QIcon>

using namespace sb::app;

namespace {
int finish(const CommandLineOutcome &outcome)
{
    return outcome.finish();
}

int runConsole(int argc, char **argv, const QStringList &arguments)
{
    ConsoleCommandLine commandLine;
    const CommandLineOutcome outcome = commandLine.parse(arguments);
    if (!outcome.run)
        return finish(outcome);

    // A profile that does not exist is a usage error: say so before any window (or display
    // connection) exists, so it works — and exits 2 — on a machine without a display too.
    ModeDispatcher::identifyApplication();
    if (const QString name = commandLine.options().profile; !name.isEmpty()) {
        auto profile = sb::models::ProfileStore().load(name);
        if (!profile) {
            const QStringList known = sb::models::ProfileStore().names();
            return finish(CommandLineOutcome::usageError(
                QStringLiteral("unknown profile '%1' (saved profiles: %2)")
                    .arg(name, known.isEmpty() ? QStringLiteral("none") : known.join(QStringLiteral(", ")))));
        }
        // A snapshot run has nobody to ask for a password the profile does not remember.
        ConsoleController::takePasswordsFromEnvironment(&*profile);
        if (const QString help = ConsoleController::missingPasswordHelp(*profile);
            !help.isEmpty() && !commandLine.options().snapshotDirectory.isEmpty())
            return finish(CommandLineOutcome::usageError(help));
    }
    QApplication app(argc, argv);
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/switchboard.svg")));
    ConsoleController controller(commandLine.options());
    QObject::connect(&controller, &ConsoleController::finished, &app, &QCoreApplication::exit);
    QString error;
    if (!controller.start(&error))
        return finish(CommandLineOutcome::usageError(error));
    return app.exec();
}
} // namespace

int main(int argc, char **argv)
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);

    if (auto headless = ModeDispatcher::runHeadlessMode(argc, argv, arguments))
        return finish(*headless);
    return runConsole(argc, argv, arguments);
}
