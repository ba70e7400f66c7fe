#pragma once

#include "app/CommandLineOutcome.h"

#include <QCommandLineParser>
#include <QStringList>

#include <optional>

namespace sb::app {

// Helpers shared by the console, node and devcluster parsers, so each mode reports
// unknown options, bad numbers and --help/--version identically.
class CommandLineSupport
{
public:
    // Parses, and turns QCommandLineParser's error into our one-line, exit-2 form.
    // Returns an outcome when parsing must stop (error, --help, --version).
    // `program` names the mode in --help's usage line (e.g. "switchboard node").
    static std::optional<CommandLineOutcome> parse(QCommandLineParser &parser, const QStringList &arguments,
        const QString &helpHeader, const QString &program = QStringLiteral("switchboard"));
    static std::optional<int> integerOption(
        const QCommandLineParser &parser, const QString &name, int minimum, int maximum, QString *error);
    // A finite decimal in [minimum, maximum] (no NaN, no infinity), or nullopt with
    // "--NAME: expected a number from MIN to MAX, got 'TEXT'" in *error.
    static std::optional<double> decimalOption(const QCommandLineParser &parser, const QString &name,
        double minimum, double maximum, QString *error);
    static QString versionText();
};

} // namespace sb::app
