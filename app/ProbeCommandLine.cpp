#include "app/ProbeCommandLine.h"

#include "app/CommandLineSupport.h"

#include <QCommandLineParser>

#include <optional>

namespace sb::app {

namespace {

const QString kProbeSendOption = QStringLiteral("send");
constexpr double kProbeMaxTimeoutSeconds = 7 * 24 * 3600; // a week

// "Name:Value" → the pair (the value's leading blanks dropped, as in HTTP); nullopt when
// there is no ':' or no name.
std::optional<inspect::ProbeHeader> probeParseHeader(const QString &text)
{
    const qsizetype colon = text.indexOf(u':');
    if (colon <= 0 || text.left(colon).trimmed().isEmpty())
        return std::nullopt;
    QString value = text.mid(colon + 1);
    while (value.startsWith(u' ') || value.startsWith(u'\t'))
        value.remove(0, 1);
    return inspect::ProbeHeader { text.left(colon).trimmed(), value };
}

std::optional<inspect::ProbeHeaders> probeParseHeaders(
    const QStringList &values, const QString &option, QString *error)
{
    inspect::ProbeHeaders headers;
    for (const QString &value : values) {
        const auto header = probeParseHeader(value);
        if (!header) {
            *error = QStringLiteral("--%1: expected NAME:VALUE, got '%2'").arg(option, value);
            return std::nullopt;
        }
        headers.append(*header);
    }
    return headers;
}

// --send takes two values (DEST BODY), which QCommandLineParser cannot express: take them
// out first. Returns false with *error when a --send lacks one.
bool probeTakeSends(QStringList *arguments, QList<ProbeOptions::Send> *sends, QString *error)
{
    for (qsizetype i = 1; i < arguments->size();) {
        const QString argument = arguments->at(i);
        if (argument == u"--")
            break;
        const bool plain = argument == u"--send" || argument == u"-send";
        const bool withValue = argument.startsWith(u"--send=") || argument.startsWith(u"-send=");
        if (!plain && !withValue) {
            ++i;
            continue;
        }
        const qsizetype needed = plain ? 2 : 1;
        if (arguments->size() - i - 1 < needed) {
            *error = QStringLiteral("--send: expected a destination and a body, e.g. --send "
                                    "/app/channels.general '{\"text\":\"hi\"}'");
            return false;
        }
        const QString destination = plain ? arguments->at(i + 1) : argument.section(u'=', 1);
        const QString body = arguments->at(i + needed);
        if (destination.isEmpty()) {
            *error = QStringLiteral("--send: the destination is empty");
            return false;
        }
        sends->append({ destination, body.toUtf8() });
        arguments->remove(i, needed + 1);
    }
    return true;
}

} // namespace

CommandLineOutcome ProbeCommandLine::parse(const QStringList &original)
{
    m_options = {};
    QStringList arguments = original;
    QString error;
    if (!probeTakeSends(&arguments, &m_options.sends, &error))
        return CommandLineOutcome::usageError(error);

    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("kind"), QStringLiteral("stomp or sse."));
    parser.addPositionalArgument(QStringLiteral("url"),
        QStringLiteral("stomp: ws(s)://host:port/path (with --sockjs, the SockJS endpoint, "
                       "http(s):// too); sse: http(s)://host:port/path."));
    parser.addOption({ QStringLiteral("header"),
        QStringLiteral("stomp: a CONNECT header (Authorization, login, passcode, host, heart-beat, "
                       "accept-version, …); sse: a request header. Repeatable."),
        QStringLiteral("NAME:VALUE") });
    parser.addOption({ QStringLiteral("ws-header"),
        QStringLiteral("stomp: an HTTP header of the WebSocket upgrade (Cookie, Origin, …). Repeatable."),
        QStringLiteral("NAME:VALUE") });
    parser.addOption({ QStringLiteral("subprotocol"),
        QStringLiteral("stomp: a WebSocket subprotocol to offer, instead of v12.stomp, v11.stomp, "
                       "v10.stomp. Repeatable."),
        QStringLiteral("P") });
    parser.addOption(
        { QStringLiteral("sockjs"), QStringLiteral("stomp: use SockJS's WebSocket transport.") });
    parser.addOption({ QStringLiteral("subscribe"),
        QStringLiteral("stomp: SUBSCRIBE to DEST once connected. Repeatable."), QStringLiteral("DEST") });
    parser.addOption({ QStringLiteral("ack"),
        QStringLiteral("stomp: the subscriptions' ack mode (auto, client, "
                       "client-individual; default auto)."),
        QStringLiteral("MODE"), QStringLiteral("auto") });
    // Documented here; parsed by probeTakeSends before the parser runs.
    parser.addOption({ kProbeSendOption,
        QStringLiteral("stomp: --send DEST BODY sends BODY to DEST once every --subscribe is in place. "
                       "Repeatable."),
        QStringLiteral("DEST BODY") });
    parser.addOption({ QStringLiteral("last-event-id"), QStringLiteral("sse: resume after this event id."),
        QStringLiteral("ID") });
    parser.addOption({ QStringLiteral("retry-ms"),
        QStringLiteral("sse: reconnect delay until the server sends retry: (default 3000)."),
        QStringLiteral("MS"), QStringLiteral("3000") });
    parser.addOption({ QStringLiteral("count"),
        QStringLiteral("Stop with exit 0 after N MESSAGE frames (stomp) or N events (sse)."),
        QStringLiteral("N") });
    parser.addOption({ QStringLiteral("timeout"),
        QStringLiteral("Stop after S seconds: exit 0, or 1 when --count was not reached."),
        QStringLiteral("S") });
    parser.addOption({ QStringLiteral("sent"), QStringLiteral("Also print the frames the probe sends.") });
    parser.addOption({ QStringLiteral("source"), QStringLiteral("The frames' source name (default probe)."),
        QStringLiteral("NAME"), QStringLiteral("probe") });

    const QString header = QStringLiteral(
        "switchboard probe: connects to any STOMP-over-WebSocket (optionally SockJS) or\n"
        "Server-Sent Events endpoint and prints each frame or event it receives as one JSON\n"
        "line (the tap's format). Exit 0 when done, 1 on a connection or protocol error\n"
        "(one line on stderr), 2 on a bad option.\n\n");
    if (auto stop = CommandLineSupport::parse(parser, arguments, header, QStringLiteral("switchboard probe")))
        return *stop;

    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty())
        return CommandLineOutcome::usageError(
            QStringLiteral("probe: expected 'stomp' or 'sse' and a URL (see --help)"));
    const QString kind = positional.at(0);
    if (kind != u"stomp" && kind != u"sse")
        return CommandLineOutcome::usageError(
            QStringLiteral("probe: expected 'stomp' or 'sse', got '%1'").arg(kind));
    if (positional.size() < 2)
        return CommandLineOutcome::usageError(QStringLiteral("probe %1: expected a URL").arg(kind));
    if (positional.size() > 2)
        return CommandLineOutcome::usageError(
            QStringLiteral("probe %1: unexpected argument '%2'").arg(kind, positional.at(2)));
    const bool stomp = kind == u"stomp";
    m_options.kind = stomp ? ProbeOptions::Kind::Stomp : ProbeOptions::Kind::Sse;
    const QUrl url(positional.at(1), QUrl::StrictMode);

    // Options that belong to the other kind are refused rather than ignored.
    const QStringList stompOnly { QStringLiteral("ws-header"), QStringLiteral("subprotocol"),
        QStringLiteral("sockjs"), QStringLiteral("subscribe"), QStringLiteral("ack") };
    const QStringList sseOnly { QStringLiteral("last-event-id"), QStringLiteral("retry-ms") };
    for (const QString &name : stomp ? sseOnly : stompOnly)
        if (parser.isSet(name))
            return CommandLineOutcome::usageError(
                QStringLiteral("--%1: only for 'probe %2'")
                    .arg(name, stomp ? QStringLiteral("sse") : QStringLiteral("stomp")));
    if (!stomp && !m_options.sends.isEmpty())
        return CommandLineOutcome::usageError(QStringLiteral("--send: only for 'probe stomp'"));

    const auto headers
        = probeParseHeaders(parser.values(QStringLiteral("header")), QStringLiteral("header"), &error);
    if (!headers)
        return CommandLineOutcome::usageError(error);

    if (parser.isSet(QStringLiteral("count"))) {
        const auto count
            = CommandLineSupport::integerOption(parser, QStringLiteral("count"), 1, 100000000, &error);
        if (!count)
            return CommandLineOutcome::usageError(error);
        m_options.count = *count;
    }
    if (parser.isSet(QStringLiteral("timeout"))) {
        // 0 would mean "no timeout", which is the option's absence: the least is a millisecond.
        const auto seconds = CommandLineSupport::decimalOption(
            parser, QStringLiteral("timeout"), 0.001, kProbeMaxTimeoutSeconds, &error);
        if (!seconds)
            return CommandLineOutcome::usageError(error);
        m_options.timeoutSeconds = *seconds;
    }
    m_options.printSent = parser.isSet(QStringLiteral("sent"));
    const QString source = parser.value(QStringLiteral("source"));
    if (source.trimmed().isEmpty())
        return CommandLineOutcome::usageError(QStringLiteral("--source: the name is empty"));

    QString problem;
    if (stomp) {
        inspect::StompProbeSettings &settings = m_options.stomp;
        settings.url = url;
        settings.connectHeaders = *headers;
        const auto wsHeaders = probeParseHeaders(
            parser.values(QStringLiteral("ws-header")), QStringLiteral("ws-header"), &error);
        if (!wsHeaders)
            return CommandLineOutcome::usageError(error);
        settings.handshakeHeaders = *wsHeaders;
        if (parser.isSet(QStringLiteral("subprotocol"))) {
            settings.subprotocols.clear();
            for (const QString &value : parser.values(QStringLiteral("subprotocol")))
                for (const QString &protocol : value.split(u',', Qt::SkipEmptyParts))
                    settings.subprotocols.append(protocol.trimmed());
        }
        settings.sockJs = parser.isSet(QStringLiteral("sockjs"));
        settings.subscriptions = parser.values(QStringLiteral("subscribe"));
        settings.ackMode = parser.value(QStringLiteral("ack"));
        settings.source = source;
        problem = settings.problem();
    } else {
        inspect::SseProbeSettings &settings = m_options.sse;
        settings.url = url;
        settings.headers = *headers;
        settings.lastEventId = parser.value(QStringLiteral("last-event-id"));
        const auto retry
            = CommandLineSupport::integerOption(parser, QStringLiteral("retry-ms"), 0, 3600000, &error);
        if (!retry)
            return CommandLineOutcome::usageError(error);
        settings.defaultRetryMs = *retry;
        settings.source = source;
        problem = settings.problem();
    }
    if (!problem.isEmpty())
        return CommandLineOutcome::usageError(
            QStringLiteral("probe %1 %2: %3").arg(kind, positional.at(1), problem));
    return CommandLineOutcome::proceed();
}

} // namespace sb::app
