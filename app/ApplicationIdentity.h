#pragma once

#include <QCoreApplication>

namespace sb::app {

// The names QSettings, --version and log lines go by; the same for the console and the
// headless node binary, so both read one configuration.
inline void identifyApplication()
{
    QCoreApplication::setOrganizationName(QStringLiteral("switchboard"));
    QCoreApplication::setApplicationName(QStringLiteral("switchboard"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SB_VERSION));
}

} // namespace sb::app
