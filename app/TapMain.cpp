#include "app/TapMain.h"

#include "app/ModeDispatcher.h"
#include "app/SignalNotifier.h"
#include "app/TapCommandLine.h"
#include "app/TapTargets.h"
#include "inspect/TrafficBatcher.h"
#include "inspect/TrafficCapture.h"
#include "protocol/TapFrameCodec.h"
#include "protocol/TrafficFilter.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QHash>
#include <QTimer>

#include <cstdio>

namespace sb::app {

using inspect::TapSourceStatus;

QString TapMain::textLine(const protocol::TrafficFrame &frame)
{
    const QString arrow = frame.direction == protocol::TrafficFrame::Direction::In ? QStringLiteral("→")
        : frame.direction == protocol::TrafficFrame::Direction::Out                ? QStringLiteral("←")
                                                                                   : QStringLiteral("·");
    QString line = QDateTime::fromMSecsSinceEpoch(frame.tsMs).toString(QStringLiteral("HH:mm:ss.zzz")) + u' '
        + frame.source + u' ' + protocol::TrafficFrame::transportName(frame.transport) + u' ' + arrow + u' '
        + frame.command;
    if (!frame.destination.isEmpty())
        line += u' ' + frame.destination;
    if (!frame.user.isEmpty())
        line += QStringLiteral(" user=") + frame.user;
    if (!frame.session.isEmpty())
        line += QStringLiteral(" session=") + frame.session;
    if (!frame.messageId.isEmpty())
        line += QStringLiteral(" id=") + frame.messageId;
    line += QStringLiteral(" %1B").arg(frame.bytes);
    return line;
}

CommandLineOutcome TapMain::run(int argc, char **argv, const QStringList &arguments)
{
    TapCommandLine commandLine;
    const CommandLineOutcome outcome = commandLine.parse(arguments);
    if (!outcome.run)
        return outcome;
    const TapCommandLine::Options &options = commandLine.options();

    QCoreApplication app(argc, argv);
    ModeDispatcher::identifyApplication();
    TapTargets targets(options.targets);
    QString error;
    if (!targets.resolve(&error))
        return CommandLineOutcome::usageError(error);
    const protocol::TrafficFilter filter = *protocol::TrafficFilter::parse(options.filter, nullptr);

    inspect::TrafficCapture capture(targets.credentials());
    SignalNotifier termination;
    int exitCode = 0;
    qint64 printed = 0;
    bool everLive = false;
    QHash<QString, TapSourceStatus::State> lastState;
    QString lastProblem;
    bool done = false;
    auto finish = [&](int code, const QString &message) {
        if (done)
            return;
        done = true;
        if (!message.isEmpty())
            std::fprintf(stderr, "switchboard: %s\n", qPrintable(message));
        exitCode = code;
        capture.stop();
        QCoreApplication::exit(code);
    };
    QObject::connect(
        &capture, &inspect::TrafficCapture::batchReady, &app, [&](const inspect::TrafficBatch &batch) {
            capture.batcher()->batchApplied();
            if (done)
                return;
            for (const protocol::TrafficFrame &frame : batch.frames) {
                if (!filter.matches(frame))
                    continue;
                const QByteArray line = options.format == TapCommandLine::Format::JsonLines
                    ? protocol::TapFrameCodec::encode(frame)
                    : textLine(frame).toUtf8();
                std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
                std::fputc('\n', stdout);
                if (options.count > 0 && ++printed >= options.count) {
                    std::fflush(stdout);
                    finish(0, {});
                    return;
                }
            }
            std::fflush(stdout);
            int refused = 0;
            for (const TapSourceStatus &source : batch.sources) {
                if (lastState.value(source.id, TapSourceStatus::State::Stopped) != source.state) {
                    lastState.insert(source.id, source.state);
                    std::fprintf(stderr, "switchboard tap: %s %s%s\n", qPrintable(source.id),
                        qPrintable(TapSourceStatus::stateName(source.state)),
                        source.detail.isEmpty() ? "" : qPrintable(QStringLiteral(": ") + source.detail));
                }
                everLive = everLive || source.state == TapSourceStatus::State::Live;
                if (source.state == TapSourceStatus::State::Refused)
                    ++refused;
                if (!source.detail.isEmpty())
                    lastProblem = source.id + QStringLiteral(": ") + source.detail;
            }
            if (!batch.sources.isEmpty() && refused == batch.sources.size())
                finish(1, QStringLiteral("every replica refused the credentials (%1)").arg(lastProblem));
        });
    QObject::connect(&termination, &SignalNotifier::terminationRequested, &app, [&] { finish(0, {}); });
    if (options.timeoutSeconds > 0) {
        QTimer::singleShot(options.timeoutSeconds * 1000, &app, [&] {
            if (everLive)
                finish(0, {});
            else
                finish(1,
                    QStringLiteral("no replica could be tapped within %1 s%2")
                        .arg(options.timeoutSeconds)
                        .arg(lastProblem.isEmpty() ? QString() : QStringLiteral(" (") + lastProblem + u')'));
        });
    }
    targets.feed(&capture);
    const int code = app.exec();
    return CommandLineOutcome::exitWith(exitCode ? exitCode : code, {}, {});
}

} // namespace sb::app
