#pragma once

#include <QString>

#include <cstdio>

namespace sb::app {

// What parsing a command line decided: run the mode, or exit now with the given text.
// Exit code 2 means the user gave an option or value the program does not accept.
struct CommandLineOutcome
{
    bool run = true;
    int exitCode = 0;
    QString standardOutput;
    QString standardError;

    static CommandLineOutcome proceed() { return {}; }
    static CommandLineOutcome exitWith(int code, const QString &out, const QString &err)
    {
        return { false, code, out, err };
    }
    static CommandLineOutcome usageError(const QString &message)
    {
        return { false, 2, {}, QStringLiteral("switchboard: ") + message + u'\n' };
    }

    // Writes the texts to stdout and stderr; returns the exit code (for main()).
    int finish() const
    {
        if (!standardOutput.isEmpty())
            std::fputs(standardOutput.toLocal8Bit().constData(), stdout);
        if (!standardError.isEmpty())
            std::fputs(standardError.toLocal8Bit().constData(), stderr);
        return exitCode;
    }
};

} // namespace sb::app
