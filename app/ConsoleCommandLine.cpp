#include "app/ConsoleCommandLine.h"

#include "app/CommandLineSupport.h"

#include <QCommandLineParser>
#include <QFile>
#include <QRegularExpression>

namespace sb::app {

namespace {
const QString kHelpHeader = QStringLiteral(
    "Switchboard: a console for realtime messaging clusters, with an embeddable node.\n\n"
    "Modes:\n"
    "  switchboard                       console on the embedded demo cluster\n"
    "  switchboard --profile NAME        console attached to a saved cluster profile\n"
    "  switchboard --open-recording FILE a saved recording replayed in the console's views\n"
    "  switchboard node [options]        one headless replica (see 'switchboard node --help')\n"
    "  switchboard devcluster [options]  embedded Kafka + Redis + N replicas, headless\n"
    "  switchboard fault ACTION --control URL   inject a fault into a running devcluster\n\n");
// --snapshot-settled without --snapshot-after: long enough for the demo to start, run a
// script and settle under a sanitizer build on a loaded machine (it settles in ~10 s on a
// quiet one); a snapshot that never settles is still taken, and says what moved.
constexpr int kSettledSnapshotLatestSeconds = 120;
} // namespace

CommandLineOutcome ConsoleCommandLine::parse(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.addOption({ QStringLiteral("profile"), QStringLiteral("Attach to the saved cluster profile NAME."),
        QStringLiteral("NAME") });
    parser.addOption({ QStringLiteral("snapshot"),
        QStringLiteral("Write DIR/window.png and DIR/state.json, then exit 0."), QStringLiteral("DIR") });
    parser.addOption({ QStringLiteral("snapshot-after"),
        QStringLiteral("Seconds to wait before the snapshot (default 5)."), QStringLiteral("SECONDS"),
        QStringLiteral("5") });
    parser.addOption({ QStringLiteral("snapshot-settled"),
        QStringLiteral("Take the snapshot once the console has settled (every replica ready or down, "
                       "every simulated user connected or away, every --demo-script step done), at "
                       "--snapshot-after SECONDS at the latest (default then 120); state.json says "
                       "whether it settled and, if not, what still moved.") });
    parser.addOption({ QStringLiteral("window-size"),
        QStringLiteral("Open the window at WIDTHxHEIGHT pixels with the default layout, e.g. "
                       "1920x1080 (screenshots at a known size)."),
        QStringLiteral("WxH") });

    parser.addOption({ QStringLiteral("open-recording"),
        QStringLiteral("Replay the saved recording FILE in the console's views (nothing live attached); "
                       "with --snapshot, the views at --at."),
        QStringLiteral("FILE") });
    parser.addOption({ QStringLiteral("at"),
        QStringLiteral("With --open-recording: the moment to show, as an ISO 8601 date-time, HH:MM[:SS] "
                       "on the recording's first day (local time), or +SECONDS from its start."),
        QStringLiteral("TIME") });
    parser.addOption({ QStringLiteral("save-recording"),
        QStringLiteral("With --snapshot: save the session's recording (a sample every 5 s, and one at the "
                       "snapshot) to FILE (.sbrec.json added when it has no extension)."),
        QStringLiteral("FILE") });
    parser.addOption({ QStringLiteral("demo-population"),
        QStringLiteral("The demo's simulated users (default 60, 1-1000)."), QStringLiteral("N") });
    parser.addOption({ QStringLiteral("demo-rate"),
        QStringLiteral("Messages a second the demo's users send in all (default 20, 0-2000)."),
        QStringLiteral("PER_SECOND") });
    parser.addOption({ QStringLiteral("demo-skew"),
        QStringLiteral("Share of the demo's users on node-1, to show an imbalance (default 0: spread "
                       "evenly; 0.5: half of them on node-1)."),
        QStringLiteral("SHARE") });
    parser.addOption({ QStringLiteral("demo-stomp-share"),
        QStringLiteral("Share of the demo's users on STOMP; the rest hold an SSE stream (default 0.6)."),
        QStringLiteral("SHARE") });
    parser.addOption({ QStringLiteral("demo-script"),
        QStringLiteral(
            "Run the faults of FILE on the demo cluster: a JSON list of {\"at\": SECONDS after the "
            "demo is ready, \"action\": NAME, \"args\": {...}} (actions as 'switchboard fault'). "
            "With --snapshot, the snapshot shows their effects and the event log."),
        QStringLiteral("FILE") });

    if (auto stop = CommandLineSupport::parse(parser, arguments, kHelpHeader))
        return *stop;

    const QStringList positional = parser.positionalArguments();
    if (!positional.isEmpty()) {
        return CommandLineOutcome::usageError(
            QStringLiteral("unknown command '%1' (modes: node, devcluster; see --help)")
                .arg(positional.first()));
    }

    m_options.profile = parser.value(QStringLiteral("profile")).trimmed();
    if (parser.isSet(QStringLiteral("profile")) && m_options.profile.isEmpty())
        return CommandLineOutcome::usageError(QStringLiteral("--profile: the name is empty"));

    m_options.snapshotDirectory = parser.value(QStringLiteral("snapshot"));
    if (parser.isSet(QStringLiteral("snapshot")) && m_options.snapshotDirectory.isEmpty())
        return CommandLineOutcome::usageError(QStringLiteral("--snapshot: the directory is empty"));

    QString error;
    const auto after
        = CommandLineSupport::integerOption(parser, QStringLiteral("snapshot-after"), 0, 3600, &error);
    if (!after)
        return CommandLineOutcome::usageError(error);
    if (parser.isSet(QStringLiteral("snapshot-after")) && m_options.snapshotDirectory.isEmpty())
        return CommandLineOutcome::usageError(
            QStringLiteral("--snapshot-after: only meaningful with --snapshot DIR"));
    m_options.snapshotAfterSeconds = *after;
    m_options.snapshotWhenSettled = parser.isSet(QStringLiteral("snapshot-settled"));
    if (m_options.snapshotWhenSettled && m_options.snapshotDirectory.isEmpty())
        return CommandLineOutcome::usageError(
            QStringLiteral("--snapshot-settled: only meaningful with --snapshot DIR"));
    if (m_options.snapshotWhenSettled && !parser.isSet(QStringLiteral("snapshot-after")))
        m_options.snapshotAfterSeconds = kSettledSnapshotLatestSeconds;

    m_options.recordingPath = parser.value(QStringLiteral("open-recording"));
    m_options.recordingAt = parser.value(QStringLiteral("at"));
    if (parser.isSet(QStringLiteral("open-recording")) && m_options.recordingPath.isEmpty())
        return CommandLineOutcome::usageError(QStringLiteral("--open-recording: the file name is empty"));
    if (parser.isSet(QStringLiteral("at")) && m_options.recordingPath.isEmpty())
        return CommandLineOutcome::usageError(
            QStringLiteral("--at: only meaningful with --open-recording FILE"));
    if (!m_options.recordingPath.isEmpty()
        && (!m_options.profile.isEmpty() || parser.isSet(QStringLiteral("demo-script"))))
        return CommandLineOutcome::usageError(QStringLiteral(
            "--open-recording: a replay attaches nothing live (not with --profile or --demo-script)"));
    if (!m_options.recordingPath.isEmpty() && m_options.snapshotWhenSettled)
        return CommandLineOutcome::usageError(
            QStringLiteral("--snapshot-settled: a replay is settled; use --at"));

    m_options.saveRecordingPath = parser.value(QStringLiteral("save-recording"));
    if (parser.isSet(QStringLiteral("save-recording"))
        && (m_options.saveRecordingPath.isEmpty() || m_options.snapshotDirectory.isEmpty()
            || !m_options.recordingPath.isEmpty()))
        return CommandLineOutcome::usageError(QStringLiteral(
            "--save-recording FILE: with --snapshot DIR on a live console (not a replay), and a file name"));

    if (parser.isSet(QStringLiteral("demo-script"))) {
        const QString path = parser.value(QStringLiteral("demo-script"));
        if (!m_options.profile.isEmpty())
            return CommandLineOutcome::usageError(
                QStringLiteral("--demo-script: runs on the demo cluster only, not with --profile"));
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return CommandLineOutcome::usageError(
                QStringLiteral("--demo-script %1: %2").arg(path, file.errorString()));
        QString why;
        const auto steps
            = protocol::FaultScript::parse(file.read(protocol::FaultScript::kMaxBytes + 1), &why);
        if (!steps)
            return CommandLineOutcome::usageError(QStringLiteral("--demo-script %1: %2").arg(path, why));
        m_options.demoScript = *steps;
    }

    if (const QString why = demoPopulationFrom(parser, &m_options.demoPopulation); !why.isEmpty())
        return CommandLineOutcome::usageError(why);
    const bool populationSet = parser.isSet(QStringLiteral("demo-population"))
        || parser.isSet(QStringLiteral("demo-rate")) || parser.isSet(QStringLiteral("demo-skew"))
        || parser.isSet(QStringLiteral("demo-stomp-share"));
    if (populationSet && (!m_options.profile.isEmpty() || !m_options.recordingPath.isEmpty()))
        return CommandLineOutcome::usageError(QStringLiteral(
            "--demo-population, --demo-rate, --demo-skew, --demo-stomp-share: for the demo cluster only (not "
            "with --profile or --open-recording)"));

    if (parser.isSet(QStringLiteral("window-size"))) {
        static const QRegularExpression size(QStringLiteral("^(\\d{3,5})x(\\d{3,5})$"));
        const QRegularExpressionMatch match
            = size.match(parser.value(QStringLiteral("window-size")).trimmed());
        const int width = match.hasMatch() ? match.captured(1).toInt() : 0;
        const int height = match.hasMatch() ? match.captured(2).toInt() : 0;
        if (width < 640 || height < 480 || width > 7680 || height > 4320)
            return CommandLineOutcome::usageError(
                QStringLiteral("--window-size: expected WIDTHxHEIGHT between 640x480 and 7680x4320, got '%1'")
                    .arg(parser.value(QStringLiteral("window-size"))));
        m_options.windowSize = QSize(width, height);
    }
    return CommandLineOutcome::proceed();
}

QString ConsoleCommandLine::demoPopulationFrom(
    const QCommandLineParser &parser, DemoPopulationOptions *population)
{
    if (parser.isSet(QStringLiteral("demo-population"))) {
        QString error;
        const auto users
            = CommandLineSupport::integerOption(parser, QStringLiteral("demo-population"), 1, 1000, &error);
        if (!users)
            return error;
        population->users = *users;
    }
    // A decimal in [minimum, maximum], or why not.
    const auto share = [&parser](const QString &name, double minimum, double maximum, double *value) {
        if (!parser.isSet(name))
            return QString();
        QString error;
        const auto parsed = CommandLineSupport::decimalOption(parser, name, minimum, maximum, &error);
        if (parsed)
            *value = *parsed;
        return error;
    };
    QString why = share(QStringLiteral("demo-rate"), 0, 2000, &population->messagesPerSecond);
    if (why.isEmpty())
        why = share(QStringLiteral("demo-skew"), 0, 1, &population->skew);
    if (why.isEmpty())
        why = share(QStringLiteral("demo-stomp-share"), 0, 1, &population->stompShare);
    return why;
}

} // namespace sb::app
