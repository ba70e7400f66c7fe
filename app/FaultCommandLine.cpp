#include "app/FaultCommandLine.h"

#include "app/CommandLineSupport.h"

#include <QCommandLineParser>
#include <QProcessEnvironment>

namespace sb::app {

CommandLineOutcome FaultCommandLine::parse(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.addOption({ QStringLiteral("control"),
        QStringLiteral("The devcluster's control endpoint: the \"control\" URL of its ready line "
                       "(default: $SB_FAULT_CONTROL)."),
        QStringLiteral("URL") });
    parser.addOption({ QStringLiteral("timeout"),
        QStringLiteral("Seconds to wait for the endpoint's answer (1-300, default 10)."),
        QStringLiteral("SECONDS"), QStringLiteral("10") });
    parser.addPositionalArgument(
        QStringLiteral("ACTION"), QStringLiteral("The fault to inject (see below)."));
    parser.addPositionalArgument(QStringLiteral("ARGS"),
        QStringLiteral("key=value, or the action's main argument alone."), QStringLiteral("[ARGS...]"));
    const QString header = QStringLiteral(
        "switchboard fault: inject one fault into a running 'switchboard devcluster' through its loopback\n"
        "control endpoint, and print what was done. The effect each action watches for is in the\n"
        "devcluster's event log (GET CONTROL/events). Exit 0: done; 2: bad action or arguments;\n"
        "1: the action could not be taken (e.g. no such replica) or the endpoint is unreachable.\n\n"
        "Actions:\n%1\n\n")
                               .arg(protocol::FaultRequest::usage());
    if (auto stop = CommandLineSupport::parse(parser, arguments, header, QStringLiteral("switchboard fault")))
        return *stop;

    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty())
        return CommandLineOutcome::usageError(
            QStringLiteral("fault: name an action (%1)")
                .arg(protocol::FaultRequest::actionNames().join(QStringLiteral(", "))));
    QString error;
    const auto args = protocol::FaultRequest::argsFromWords(positional.first(), positional.mid(1), &error);
    const auto request
        = args ? protocol::FaultRequest::parse(positional.first(), *args, &error) : std::nullopt;
    if (!request)
        return CommandLineOutcome::usageError(QStringLiteral("fault: ") + error);
    m_request = *request;

    const QString control = parser.isSet(QStringLiteral("control"))
        ? parser.value(QStringLiteral("control"))
        : QProcessEnvironment::systemEnvironment().value(QStringLiteral("SB_FAULT_CONTROL"));
    m_control = QUrl(control.trimmed(), QUrl::StrictMode);
    if (control.trimmed().isEmpty())
        return CommandLineOutcome::usageError(
            QStringLiteral("fault: --control URL is required (the \"control\" of devcluster's ready line)"));
    if (!m_control.isValid() || m_control.scheme() != u"http" || m_control.host().isEmpty())
        return CommandLineOutcome::usageError(
            QStringLiteral("fault: --control: expected http://HOST:PORT, got '%1'").arg(control));
    const auto timeout = CommandLineSupport::integerOption(parser, QStringLiteral("timeout"), 1, 300, &error);
    if (!timeout)
        return CommandLineOutcome::usageError(error);
    m_timeoutMs = *timeout * 1000;
    return CommandLineOutcome::proceed();
}

} // namespace sb::app
