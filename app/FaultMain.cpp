#include "app/FaultMain.h"

#include "app/ApplicationIdentity.h"
#include "app/FaultCommandLine.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>

namespace sb::app {

CommandLineOutcome FaultMain::run(int argc, char **argv, const QStringList &arguments)
{
    FaultCommandLine commandLine;
    const CommandLineOutcome parsed = commandLine.parse(arguments);
    if (!parsed.run)
        return parsed;

    QCoreApplication app(argc, argv);
    identifyApplication();
    QNetworkAccessManager network;
    QUrl url = commandLine.control();
    url.setPath(QStringLiteral("/faults"));
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setTransferTimeout(commandLine.timeoutMs());
    const QByteArray body = QJsonDocument(commandLine.request().toJson()).toJson(QJsonDocument::Compact);
    QNetworkReply *reply = network.post(request, body);
    CommandLineOutcome outcome;
    QObject::connect(reply, &QNetworkReply::finished, &app, [&] {
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QJsonObject answer = QJsonDocument::fromJson(reply->readAll()).object();
        const QString name = commandLine.request().name();
        if (status == 0) {
            outcome = CommandLineOutcome::exitWith(1, {},
                QStringLiteral("switchboard: fault %1: control endpoint %2 unreachable: %3\n")
                    .arg(name, commandLine.control().toString(), reply->errorString()));
        } else if (status == 200) {
            outcome = CommandLineOutcome::exitWith(0,
                QStringLiteral("%1: %2 (event %3)\n")
                    .arg(name, answer.value(QStringLiteral("message")).toString())
                    .arg(answer.value(QStringLiteral("event")).toInt()),
                {});
        } else {
            const QString error
                = answer.value(QStringLiteral("error")).toString(QStringLiteral("HTTP %1").arg(status));
            // 400: the endpoint refused the request itself (an older or newer devcluster).
            outcome = CommandLineOutcome::exitWith(
                status == 400 ? 2 : 1, {}, QStringLiteral("switchboard: fault %1: %2\n").arg(name, error));
        }
        reply->deleteLater();
        QCoreApplication::quit();
    });
    app.exec();
    return outcome;
}

} // namespace sb::app
