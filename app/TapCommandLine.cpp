#include "app/TapCommandLine.h"

#include "app/CommandLineSupport.h"
#include "protocol/TrafficFilter.h"

#include <QCommandLineParser>

namespace sb::app {

CommandLineOutcome TapCommandLine::parse(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Streams the decoded STOMP/SSE/HTTP frames and bus hops of every replica (their "
                       "/admin/tap) to stdout, "
                       "one per line. Exit 0 at --count or --timeout (or Ctrl+C), 1 when no replica can be "
                       "tapped, 2 on bad options."));
    TapTargetOptions::addTo(&parser);
    parser.addOption({ QStringLiteral("filter"),
        QStringLiteral("Only frames matching EXPR (the Traffic area's filter language, e.g. "
                       "'cmd=SEND user:alice' or 'dest:/topic/ -dir=in')."),
        QStringLiteral("EXPR") });
    parser.addOption({ QStringLiteral("format"), QStringLiteral("jsonl (the tap's JSON, default) or text."),
        QStringLiteral("FORMAT"), QStringLiteral("jsonl") });
    parser.addOption({ QStringLiteral("count"), QStringLiteral("Stop after N frames."), QStringLiteral("N"),
        QStringLiteral("0") });
    parser.addOption({ QStringLiteral("timeout"), QStringLiteral("Stop after S seconds."),
        QStringLiteral("S"), QStringLiteral("0") });
    if (auto stop = CommandLineSupport::parse(parser, arguments, {}, QStringLiteral("switchboard tap")))
        return *stop;
    if (!parser.positionalArguments().isEmpty())
        return CommandLineOutcome::usageError(QStringLiteral("unexpected argument '%1' (see --help)")
                                                  .arg(parser.positionalArguments().first()));
    QString error;
    if (!m_options.targets.read(parser, &error))
        return CommandLineOutcome::usageError(error);
    m_options.filter = parser.value(QStringLiteral("filter"));
    protocol::TrafficFilter::Error filterError;
    if (!protocol::TrafficFilter::parse(m_options.filter, &filterError))
        return CommandLineOutcome::usageError(QStringLiteral("--filter: %1 (at character %2)")
                                                  .arg(filterError.message)
                                                  .arg(filterError.position + 1));
    const QString format = parser.value(QStringLiteral("format"));
    if (format == u"jsonl")
        m_options.format = Format::JsonLines;
    else if (format == u"text")
        m_options.format = Format::Text;
    else
        return CommandLineOutcome::usageError(
            QStringLiteral("--format: expected jsonl or text, got '%1'").arg(format));
    const auto count
        = CommandLineSupport::integerOption(parser, QStringLiteral("count"), 0, 1000000000, &error);
    const auto timeout
        = CommandLineSupport::integerOption(parser, QStringLiteral("timeout"), 0, 30 * 24 * 3600, &error);
    if (!count || !timeout)
        return CommandLineOutcome::usageError(error);
    m_options.count = *count;
    m_options.timeoutSeconds = *timeout;
    return CommandLineOutcome::proceed();
}

} // namespace sb::app
