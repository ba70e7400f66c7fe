#include "app/TraceMain.h"

#include "app/ModeDispatcher.h"
#include "app/SignalNotifier.h"
#include "app/TapTargets.h"
#include "app/TraceCommandLine.h"
#include "inspect/TraceAssembler.h"
#include "inspect/TrafficBatcher.h"
#include "inspect/TrafficCapture.h"
#include "inspect/TrafficRecording.h"
#include "protocol/NodeApi.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>

#include <cstdio>

namespace sb::app {

namespace {

using inspect::TapSourceStatus;
using protocol::TrafficFrame;

constexpr int kSettleMs = 1500; // the trace is complete once no hop came for this long
constexpr int kAttachWaitMs = 5000; // at most this long for every tap to go live before publishing
constexpr qsizetype kMaxFrames = 1000000;

int printTrace(const inspect::MessageTrace &trace, bool json)
{
    const QByteArray out
        = json ? QJsonDocument(trace.toJson()).toJson(QJsonDocument::Indented) : trace.toText().toUtf8();
    std::fwrite(out.constData(), 1, size_t(out.size()), stdout);
    std::fflush(stdout);
    if (trace.isEmpty()) {
        std::fprintf(stderr, "switchboard: message %s was not seen%s\n", qPrintable(trace.messageId),
            trace.notes.isEmpty()
                ? ""
                : qPrintable(QStringLiteral(" (") + trace.notes.join(QStringLiteral("; ")) + u')'));
        return 1;
    }
    return 0;
}

// Logs in as the admin and posts one message; calls done(messageId, error).
void publishOne(QNetworkAccessManager *http, const QUrl &node, const inspect::TapCredentials &credentials,
    const QString &channel, const QString &text, const std::function<void(QString, QString)> &done)
{
    auto post = [http, node, channel, text, done](const QByteArray &token) {
        QUrl url = node;
        url.setPath(QStringLiteral("/api/channels/%1/messages")
                        .arg(QString::fromUtf8(QUrl::toPercentEncoding(channel))));
        QNetworkRequest request(url);
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        request.setRawHeader(QByteArrayLiteral("Authorization"), QByteArrayLiteral("Bearer ") + token);
        request.setTransferTimeout(5000);
        QNetworkReply *reply = http->post(request,
            QJsonDocument(QJsonObject { { QStringLiteral("text"), text } }).toJson(QJsonDocument::Compact));
        QObject::connect(reply, &QNetworkReply::finished, reply, [reply, done] {
            reply->deleteLater();
            const QByteArray body = reply->readAll();
            const QString id = QJsonDocument::fromJson(body).object().value(QStringLiteral("id")).toString();
            if (reply->error() != QNetworkReply::NoError || id.isEmpty())
                done({},
                    QStringLiteral("publishing failed: %1 %2")
                        .arg(reply->errorString(), QString::fromUtf8(body.left(200))));
            else
                done(id, {});
        });
    };
    if (!credentials.token.isEmpty()) {
        post(credentials.token);
        return;
    }
    QUrl loginUrl = node;
    loginUrl.setPath(protocol::nodeapi::LoginPath);
    QNetworkRequest request(loginUrl);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setTransferTimeout(5000);
    QNetworkReply *reply
        = http->post(request, protocol::nodeapi::loginBody(credentials.user, credentials.password));
    QObject::connect(reply, &QNetworkReply::finished, reply, [reply, post, done] {
        reply->deleteLater();
        const QByteArray token = protocol::nodeapi::accessToken(reply->readAll());
        if (token.isEmpty())
            done({}, QStringLiteral("login to publish failed: %1").arg(reply->errorString()));
        else
            post(token);
    });
}

} // namespace

CommandLineOutcome TraceMain::run(int argc, char **argv, const QStringList &arguments)
{
    TraceCommandLine commandLine;
    const CommandLineOutcome outcome = commandLine.parse(arguments);
    if (!outcome.run)
        return outcome;
    const TraceCommandLine::Options &options = commandLine.options();

    if (!options.recording.isEmpty()) {
        QString error;
        const auto contents = inspect::TrafficRecording::load(options.recording, &error);
        if (!contents)
            return CommandLineOutcome::exitWith(1, {}, QStringLiteral("switchboard: %1\n").arg(error));
        if (!contents->warning.isEmpty())
            std::fprintf(stderr, "switchboard: %s\n", qPrintable(contents->warning));
        return CommandLineOutcome::exitWith(
            printTrace(inspect::TraceAssembler::assemble(options.messageId, contents->frames), options.json),
            {}, {});
    }

    QCoreApplication app(argc, argv);
    ModeDispatcher::identifyApplication();
    TapTargets targets(options.targets);
    QString error;
    if (!targets.resolve(&error))
        return CommandLineOutcome::usageError(error);
    inspect::TrafficCapture capture(targets.credentials());
    QNetworkAccessManager http;
    SignalNotifier termination;
    QList<TrafficFrame> frames;
    QList<TapSourceStatus> sources;
    QString messageId = options.messageId;
    bool published = options.publishChannel.isEmpty();
    bool done = false;
    int exitCode = 1;
    QTimer settle;
    settle.setSingleShot(true);
    settle.setInterval(kSettleMs);

    auto finish = [&] {
        if (done)
            return;
        done = true;
        exitCode = printTrace(inspect::TraceAssembler::assemble(messageId, frames, sources), options.json);
        capture.stop();
        QCoreApplication::exit(exitCode);
    };
    auto fail = [&](const QString &message) {
        if (done)
            return;
        done = true;
        std::fprintf(stderr, "switchboard: %s\n", qPrintable(message));
        capture.stop();
        QCoreApplication::exit(1);
    };
    auto publishNow = [&] {
        if (published)
            return;
        published = true;
        const QUrl node = targets.firstNode().isValid() ? targets.firstNode() : targets.knownNodes().value(0);
        if (!node.isValid()) {
            fail(QStringLiteral("no replica to publish through"));
            return;
        }
        const QString text = options.publishText.isEmpty()
            ? QStringLiteral("switchboard trace %1")
                  .arg(QDateTime::currentDateTime().toString(Qt::ISODateWithMs))
            : options.publishText;
        publishOne(&http, node, targets.credentials(), options.publishChannel, text,
            [&messageId, &settle, fail, node](const QString &id, const QString &why) {
                if (id.isEmpty()) {
                    fail(why);
                    return;
                }
                messageId = id;
                std::fprintf(stderr, "switchboard trace: published %s through %s\n", qPrintable(id),
                    qPrintable(node.authority()));
                settle.start();
            });
    };
    QObject::connect(&settle, &QTimer::timeout, &app, finish);
    QObject::connect(
        &capture, &inspect::TrafficCapture::batchReady, &app, [&](const inspect::TrafficBatch &batch) {
            capture.batcher()->batchApplied();
            if (done)
                return;
            sources = batch.sources;
            for (const TrafficFrame &frame : batch.frames) {
                if (frames.size() < kMaxFrames)
                    frames.append(frame);
                if (!messageId.isEmpty() && frame.messageId == messageId)
                    settle.start(); // a hop came: wait for the next, or settle
            }
            const bool allLive = !sources.isEmpty()
                && std::all_of(sources.cbegin(), sources.cend(),
                    [](const TapSourceStatus &s) { return s.state == TapSourceStatus::State::Live; });
            if (allLive)
                publishNow();
        });
    QTimer::singleShot(
        kAttachWaitMs, &app, publishNow); // publish anyway: the trace notes which taps were not live
    QTimer::singleShot(options.waitSeconds * 1000, &app, finish);
    QObject::connect(&termination, &SignalNotifier::terminationRequested, &app, finish);
    targets.feed(&capture);
    app.exec();
    return CommandLineOutcome::exitWith(exitCode, {}, {});
}

} // namespace sb::app
