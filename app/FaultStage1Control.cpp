#include "app/FaultStage1Control.h"

#include "app/FaultFanIn.h"
#include "protocol/NodeApi.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>

namespace sb::app {

namespace {
QString why(QNetworkReply *reply)
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QString message
        = QJsonDocument::fromJson(reply->readAll()).object().value(QStringLiteral("error")).toString();
    if (status == 0)
        return reply->errorString();
    return message.isEmpty() ? QStringLiteral("HTTP %1").arg(status)
                             : QStringLiteral("HTTP %1: %2").arg(status).arg(message);
}
} // namespace

FaultStage1Control::FaultStage1Control(QString adminUser, QString adminPassword, QObject *parent)
    : QObject(parent)
    , m_user(std::move(adminUser))
    , m_password(std::move(adminPassword))
{ }

void FaultStage1Control::apply(const QHash<QString, QString> &replicas, bool paused, QObject *context,
    std::function<void(const QHash<QString, QString> &)> done)
{
    const auto answers = FaultFanIn<QHash<QString, QString>>::expect(int(replicas.size()), std::move(done));
    if (!answers)
        return;
    for (auto it = replicas.cbegin(); it != replicas.cend(); ++it) {
        applyOne(it.value(), paused, context, [answers, id = it.key()](const QString &failure) {
            answers->arrive([&](QHash<QString, QString> &failures) {
                if (!failure.isEmpty())
                    failures.insert(id, failure);
            });
        });
    }
}

void FaultStage1Control::applyOne(
    const QString &url, bool paused, QObject *context, std::function<void(const QString &)> done)
{
    QNetworkRequest login { QUrl(url + QString(protocol::nodeapi::LoginPath)) };
    login.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    login.setTransferTimeout(kTimeoutMs);
    QNetworkReply *loginReply = m_http.post(login, protocol::nodeapi::loginBody(m_user, m_password));
    connect(context, &QObject::destroyed, loginReply, &QNetworkReply::abort);
    connect(loginReply, &QNetworkReply::finished, context,
        [this, loginReply, url, paused, context, done = std::move(done)] {
            loginReply->deleteLater();
            if (loginReply->error() != QNetworkReply::NoError)
                return done(QStringLiteral("login: ") + why(loginReply));
            const QByteArray token = protocol::nodeapi::accessToken(loginReply->readAll());
            if (token.isEmpty())
                return done(QStringLiteral("login: no access token in the answer"));
            const QLatin1String path
                = paused ? protocol::nodeapi::AdminStage1PausePath : protocol::nodeapi::AdminStage1ResumePath;
            QNetworkRequest request { QUrl(url + QString(path)) };
            request.setRawHeader("Authorization", "Bearer " + token);
            request.setTransferTimeout(kTimeoutMs);
            QNetworkReply *reply = m_http.post(request, QByteArray());
            connect(context, &QObject::destroyed, reply, &QNetworkReply::abort);
            connect(reply, &QNetworkReply::finished, context, [reply, done] {
                reply->deleteLater();
                done(reply->error() == QNetworkReply::NoError ? QString() : why(reply));
            });
        });
}

} // namespace sb::app
