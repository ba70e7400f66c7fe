#include "LoadgenCommandLine.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QUrl>

#include <cstdio>

using namespace Qt::StringLiterals;

std::optional<LoadgenOptions> parseLoadgenCommandLine(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"A neutral load generator: N subscribers of one kind, one publisher at stepped rates, on one "
        "channel or spread over several; per step deliveries/s, latency, losses and duplicates, the "
        "server's CPU and memory (docs/benchmarks.md, \"Side by side\")."_s);
    parser.addHelpOption();
    parser.addOption({ u"target"_s,
        u"node-stomp, node-sse, rabbit-stomp, nchan-ws, nchan-sse, trivial-stomp, trivial-ws or trivial-sse."_s,
        u"KIND"_s });
    parser.addOption({ u"url"_s, u"The server's base URL, http://127.0.0.1:PORT."_s, u"URL"_s });
    parser.addOption({ u"publish-url"_s,
        u"Publish on this server instead (scenario 6: another replica of the same cluster, on "
        "127.0.0.1), so each message crosses the cluster's bus to reach the subscribers."_s,
        u"URL"_s });
    parser.addOption({ u"subscribers"_s, u"Subscribers."_s, u"N"_s, u"200"_s });
    parser.addOption({ u"channels"_s,
        u"Spread the subscribers round-robin over N channels (c0, c1, ...) and the messages too, at the "
        "total rate (scenario 4; 1: each server's usual channel)."_s,
        u"N"_s, u"1"_s });
    parser.addOption(
        { u"rates"_s, u"Messages per second, one step each (comma-separated)."_s, u"LIST"_s, u"100"_s });
    parser.addOption({ u"step-seconds"_s, u"Seconds of publishing per step."_s, u"S"_s, u"10"_s });
    parser.addOption({ u"body-bytes"_s, u"Published body size (the marker, padded)."_s, u"N"_s, u"64"_s });
    parser.addOption({ u"threads"_s, u"Subscriber threads (the publisher has its own)."_s, u"N"_s, u"2"_s });
    parser.addOption(
        { u"server-pid"_s, u"The server process whose CPU and memory are reported."_s, u"PID"_s, u"0"_s });
    parser.addOption(
        { u"heartbeat-ms"_s, u"STOMP heart-beats offered both ways (0: off)."_s, u"MS"_s, u"0"_s });
    parser.addOption({ u"delayed-acks"_s,
        u"Subscribers turn TCP_QUICKACK off after each read, so the kernel ACKs every second small "
        "segment rather than each one (the same for every server; off by default: a client's usual "
        "ACKs)."_s });
    parser.addOption({ u"ceiling"_s,
        u"The generator's own deliveries/s against the trivial server for this transport: a step at 90 % "
        "of it or more is marked invalid."_s,
        u"N"_s, u"0"_s });
    parser.addOption({ u"ceiling-cpu"_s,
        u"The generator's CPU % at its ceiling: a step where it used 90 % of that or more is marked invalid "
        "(on a shared core it never reaches 90 % of a whole one)."_s,
        u"PCT"_s, u"0"_s });
    parser.addOption({ u"drain-seconds"_s,
        u"A step with missing deliveries ends this long after the last one arrived."_s, u"S"_s, u"5"_s });
    parser.addOption({ u"idle-seconds"_s,
        u"Scenario 1: hold the connections idle this long, publish nothing, report memory per connection."_s,
        u"S"_s, u"0"_s });
    parser.addOption({ u"settle-seconds"_s,
        u"After the last step, wait this long and report the server's memory again."_s, u"S"_s, u"0"_s });
    parser.addOption({ u"fail-on-loss"_s, u"Exit 1 on any loss or duplicate."_s });
    parser.addOption(
        { u"stop-after-loss"_s, u"Skip the remaining rates after a step that lost messages."_s });
    parser.addOption({ u"discard-sequence"_s,
        u"Self-check: subscribers drop message N as if lost, to show a loss is reported."_s, u"N"_s,
        u"-1"_s });
    parser.process(app);

    LoadgenOptions options;
    const auto kind = parseTargetKind(parser.value(u"target"_s).toStdString());
    const QUrl url(parser.value(u"url"_s));
    if (!kind || !url.isValid() || url.port() <= 0) {
        std::fprintf(
            stderr, "sb_loadgen: --target KIND and --url http://127.0.0.1:PORT are required (--help)\n");
        return std::nullopt;
    }
    options.kind = *kind;
    options.host = url.host().toStdString();
    options.port = url.port();
    if (parser.isSet(u"publish-url"_s)) {
        const QUrl publishUrl(parser.value(u"publish-url"_s));
        if (!publishUrl.isValid() || publishUrl.port() <= 0 || publishUrl.host() != url.host()) {
            std::fprintf(
                stderr, "sb_loadgen: --publish-url must be http://%s:PORT\n", qPrintable(url.host()));
            return std::nullopt;
        }
        options.publishPort = publishUrl.port();
    }
    options.subscribers = parser.value(u"subscribers"_s).toInt();
    options.channels = parser.value(u"channels"_s).toInt();
    options.rates.clear();
    for (const QString &rate : parser.value(u"rates"_s).split(u',', Qt::SkipEmptyParts))
        options.rates.push_back(rate.toDouble());
    options.stepSeconds = parser.value(u"step-seconds"_s).toDouble();
    options.bodyBytes = std::size_t(parser.value(u"body-bytes"_s).toInt());
    options.threads = qMax(1, parser.value(u"threads"_s).toInt());
    options.serverPid = pid_t(parser.value(u"server-pid"_s).toInt());
    options.heartBeatMs = parser.value(u"heartbeat-ms"_s).toInt();
    options.delayedAcks = parser.isSet(u"delayed-acks"_s);
    options.ceiling = parser.value(u"ceiling"_s).toDouble();
    options.ceilingCpu = parser.value(u"ceiling-cpu"_s).toDouble();
    options.drainSeconds = parser.value(u"drain-seconds"_s).toDouble();
    options.idleSeconds = parser.value(u"idle-seconds"_s).toDouble();
    options.settleSeconds = parser.value(u"settle-seconds"_s).toDouble();
    options.failOnLoss = parser.isSet(u"fail-on-loss"_s);
    options.stopAfterLoss = parser.isSet(u"stop-after-loss"_s);
    options.discardSequence = parser.value(u"discard-sequence"_s).toLongLong();
    if (options.subscribers <= 0 || (options.idleSeconds <= 0 && options.rates.empty())
        || options.stepSeconds <= 0) {
        std::fprintf(stderr, "sb_loadgen: --subscribers, --rates and --step-seconds must be positive\n");
        return std::nullopt;
    }
    if (options.channels <= 0 || (options.channels > 1 && !canSpreadOverChannels(options.kind))) {
        std::fprintf(stderr,
            "sb_loadgen: --channels must be positive, and 1 for node-sse (a user's stream carries "
            "every channel the user is a member of)\n");
        return std::nullopt;
    }
    return options;
}
