#include "app/TraceCommandLine.h"

#include "app/CommandLineSupport.h"

#include <QCommandLineParser>

namespace sb::app {

CommandLineOutcome TraceCommandLine::parse(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Prints every hop of one message across the replicas (publish, stage-1 record, "
                       "stage-2 broadcast, each "
                       "delivery, with latencies) and the subscribers who should have received it and did "
                       "not, with the reason. "
                       "Live, it taps the replicas and waits for the message (or publishes one with "
                       "--publish); offline it reads a "
                       "traffic capture. Exit 0 when the message was seen, 1 when not, 2 on bad options."));
    parser.addPositionalArgument(QStringLiteral("MESSAGE_ID"), QStringLiteral("The message-id to follow."),
        QStringLiteral("[MESSAGE_ID]"));
    TapTargetOptions::addTo(&parser);
    parser.addOption({ QStringLiteral("recording"),
        QStringLiteral("Read a traffic capture (JSON Lines) instead of tapping."), QStringLiteral("FILE") });
    parser.addOption({ QStringLiteral("publish"),
        QStringLiteral("Publish a message to CHANNEL through the first replica (as the admin) and trace it."),
        QStringLiteral("CHANNEL") });
    parser.addOption(
        { QStringLiteral("text"), QStringLiteral("The text --publish sends."), QStringLiteral("TEXT") });
    parser.addOption({ QStringLiteral("wait"),
        QStringLiteral("Seconds to wait for the message and its deliveries (default 10)."),
        QStringLiteral("S"), QStringLiteral("10") });
    parser.addOption({ QStringLiteral("format"), QStringLiteral("text (default) or json."),
        QStringLiteral("FORMAT"), QStringLiteral("text") });
    if (auto stop = CommandLineSupport::parse(parser, arguments, {}, QStringLiteral("switchboard trace")))
        return *stop;
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1)
        return CommandLineOutcome::usageError(
            QStringLiteral("unexpected argument '%1' (see --help)").arg(positional.at(1)));
    m_options.messageId = positional.value(0).trimmed();
    m_options.recording = parser.value(QStringLiteral("recording"));
    m_options.publishChannel = parser.value(QStringLiteral("publish")).trimmed();
    m_options.publishText = parser.value(QStringLiteral("text"));
    if (m_options.messageId.isEmpty() == m_options.publishChannel.isEmpty())
        return CommandLineOutcome::usageError(
            QStringLiteral("give a MESSAGE_ID or --publish CHANNEL (one of them)"));
    if (!m_options.recording.isEmpty() && !m_options.publishChannel.isEmpty())
        return CommandLineOutcome::usageError(
            QStringLiteral("--publish needs live replicas, not --recording"));
    QString error;
    if (m_options.recording.isEmpty() && !m_options.targets.read(parser, &error))
        return CommandLineOutcome::usageError(error);
    const auto wait = CommandLineSupport::integerOption(parser, QStringLiteral("wait"), 1, 3600, &error);
    if (!wait)
        return CommandLineOutcome::usageError(error);
    m_options.waitSeconds = *wait;
    const QString format = parser.value(QStringLiteral("format"));
    if (format != u"text" && format != u"json")
        return CommandLineOutcome::usageError(
            QStringLiteral("--format: expected text or json, got '%1'").arg(format));
    m_options.json = format == u"json";
    return CommandLineOutcome::proceed();
}

} // namespace sb::app
