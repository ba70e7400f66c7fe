#pragma once

#include <QHash>
#include <QNetworkAccessManager>
#include <QObject>
#include <QString>

#include <functional>

namespace sb::app {

// The pause-stage1 / resume-stage1 fault actions' lever: on each replica given, log in as
// the devcluster's admin (--demo-users) and POST /admin/stage1/pause (or /resume). Every
// replica's answer is handed over together; nothing here waits.
class FaultStage1Control : public QObject
{
    Q_OBJECT
public:
    static constexpr int kTimeoutMs = 3000;

    FaultStage1Control(QString adminUser, QString adminPassword, QObject *parent = nullptr);

    // `replicas`: id → base URL. `done` gets, per replica, an empty string when it took it,
    // else why not.
    void apply(const QHash<QString, QString> &replicas, bool paused, QObject *context,
        std::function<void(const QHash<QString, QString> &failures)> done);

private:
    void applyOne(
        const QString &url, bool paused, QObject *context, std::function<void(const QString &why)> done);

    QString m_user;
    QString m_password;
    QNetworkAccessManager m_http;
};

} // namespace sb::app
