#include "app/CommandLineSupport.h"

#include <cmath>

namespace sb::app {

std::optional<CommandLineOutcome> CommandLineSupport::parse(QCommandLineParser &parser,
    const QStringList &arguments, const QString &helpHeader, const QString &program)
{
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption help(
        { QStringLiteral("h"), QStringLiteral("help") }, QStringLiteral("Show this help and exit."));
    const QCommandLineOption version(QStringLiteral("version"), QStringLiteral("Show the version and exit."));
    parser.addOption(help);
    parser.addOption(version);

    if (!parser.parse(arguments)) {
        QString message = parser.errorText();
        message.replace(u'\n', u' ');
        return CommandLineOutcome::usageError(message.trimmed() + QStringLiteral(" (see --help)"));
    }
    if (parser.isSet(help)) {
        // helpText() names the program from QCoreApplication, which does not exist yet
        // (modes are parsed before any application object): name it ourselves.
        QString text = parser.helpText();
        text.replace(QStringLiteral("<executable_name>"), program);
        return CommandLineOutcome::exitWith(0, helpHeader + text, {});
    }
    if (parser.isSet(version))
        return CommandLineOutcome::exitWith(0, versionText(), {});
    return std::nullopt;
}

std::optional<int> CommandLineSupport::integerOption(
    const QCommandLineParser &parser, const QString &name, int minimum, int maximum, QString *error)
{
    const QString text = parser.value(name);
    bool ok = false;
    const int value = text.toInt(&ok);
    if (!ok || value < minimum || value > maximum) {
        *error = QStringLiteral("--%1: expected a whole number from %2 to %3, got '%4'")
                     .arg(name)
                     .arg(minimum)
                     .arg(maximum)
                     .arg(text);
        return std::nullopt;
    }
    return value;
}

std::optional<double> CommandLineSupport::decimalOption(
    const QCommandLineParser &parser, const QString &name, double minimum, double maximum, QString *error)
{
    const QString text = parser.value(name);
    bool ok = false;
    const double value = text.toDouble(&ok); // ignores surrounding blanks; accepts "nan" and "inf"
    if (!ok || !std::isfinite(value) || value < minimum || value > maximum) {
        *error = QStringLiteral("--%1: expected a number from %2 to %3, got '%4'")
                     .arg(name, QString::number(minimum), QString::number(maximum), text);
        return std::nullopt;
    }
    return value;
}

QString CommandLineSupport::versionText()
{
    return QStringLiteral("switchboard " SB_VERSION "\n");
}

} // namespace sb::app
