#include "app/ProbeMain.h"

#include "app/ModeDispatcher.h"
#include "app/ProbeCommandLine.h"
#include "app/ProbeSession.h"
#include "app/SignalNotifier.h"

#include <QCoreApplication>

#include <cstdio>

namespace sb::app {

CommandLineOutcome ProbeMain::run(int argc, char **argv, const QStringList &arguments)
{
    ProbeCommandLine commandLine;
    const CommandLineOutcome parsed = commandLine.parse(arguments);
    if (!parsed.run)
        return parsed;

    QCoreApplication app(argc, argv);
    ModeDispatcher::identifyApplication();
    ProbeSession session(commandLine.options(), stdout);
    SignalNotifier terminationSignals;
    QObject::connect(
        &terminationSignals, &SignalNotifier::terminationRequested, &session, &ProbeSession::interrupt);
    QString error;
    QObject::connect(&session, &ProbeSession::finished, &app, [&error](int exitCode, const QString &reason) {
        error = reason;
        QCoreApplication::exit(exitCode);
    });
    // Started from the event loop: a probe that fails at once must find exit() listening.
    QMetaObject::invokeMethod(&session, &ProbeSession::start, Qt::QueuedConnection);
    const int code = app.exec();
    if (code == 0)
        return CommandLineOutcome::exitWith(0, {}, {});
    QString line = error.isEmpty() ? QStringLiteral("the probe failed") : error;
    line.replace(u'\n', u' '); // one line, whatever the server put in its reason
    return CommandLineOutcome::exitWith(code, {}, QStringLiteral("switchboard: probe: ") + line + u'\n');
}

} // namespace sb::app
