#include "app/TapTargetOptions.h"

#include <QCommandLineParser>
#include <QProcessEnvironment>

namespace sb::app {

void TapTargetOptions::addTo(QCommandLineParser *parser)
{
    parser->addOption({ QStringLiteral("node"),
        QStringLiteral("A replica's base URL, e.g. http://127.0.0.1:8080 (repeatable)."),
        QStringLiteral("URL") });
    parser->addOption({ QStringLiteral("profile"),
        QStringLiteral("A saved cluster profile: its replicas (registry, /admin/stats URLs) and admin."),
        QStringLiteral("NAME") });
    parser->addOption({ QStringLiteral("user"),
        QStringLiteral("Admin user (default: the profile's, else admin)."), QStringLiteral("NAME") });
    parser->addOption({ QStringLiteral("password"),
        QStringLiteral("Admin password (default: SB_ADMIN_PASSWORD, the profile's, else admin)."),
        QStringLiteral("PASSWORD") });
    parser->addOption({ QStringLiteral("token"),
        QStringLiteral("A bearer token with ROLE_ADMIN instead of a login."), QStringLiteral("JWT") });
}

bool TapTargetOptions::read(const QCommandLineParser &parser, QString *error)
{
    profile = parser.value(QStringLiteral("profile"));
    for (const QString &text : parser.values(QStringLiteral("node"))) {
        const QUrl url(text.contains(u"://") ? text : QStringLiteral("http://") + text, QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty()
            || !(url.scheme() == u"http" || url.scheme() == u"https")) {
            *error = QStringLiteral("--node: not an http(s) URL: '%1'").arg(text);
            return false;
        }
        nodes.append(url);
    }
    if (profile.isEmpty() && nodes.isEmpty()) {
        *error = QStringLiteral("name the replicas: --node URL (repeatable) or --profile NAME");
        return false;
    }
    if (!profile.isEmpty() && !nodes.isEmpty()) {
        *error = QStringLiteral("--node and --profile: give one or the other");
        return false;
    }
    user = parser.value(QStringLiteral("user"));
    password = parser.isSet(QStringLiteral("password"))
        ? parser.value(QStringLiteral("password"))
        : QProcessEnvironment::systemEnvironment().value(QStringLiteral("SB_ADMIN_PASSWORD"));
    token = parser.value(QStringLiteral("token")).toUtf8();
    return true;
}

} // namespace sb::app
