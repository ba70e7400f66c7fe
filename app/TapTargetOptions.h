#pragma once

#include <QList>
#include <QString>
#include <QUrl>

class QCommandLineParser;

namespace sb::app {

// Which replicas `switchboard tap` and `switchboard trace` read, and as whom:
// --node URL (repeatable) or --profile NAME (its registry and /admin/stats URLs, its
// admin user and remembered password); --user/--password (or SB_ADMIN_PASSWORD) or
// --token override. With neither a password nor a token the demo's admin/admin is tried.
struct TapTargetOptions
{
    QString profile;
    QList<QUrl> nodes;
    QString user;
    QString password;
    QByteArray token;

    static void addTo(QCommandLineParser *parser);
    // Reads what addTo() declared; false with *error (one line) on a bad value.
    bool read(const QCommandLineParser &parser, QString *error);
};

} // namespace sb::app
