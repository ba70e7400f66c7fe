#pragma once

#include <QString>

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
        return {false, code, out, err};
    }
    static CommandLineOutcome usageError(const QString &message)
    {
        return {false, 2, {}, QStringLiteral("switchboard: ") + message + u'\n'};
    }
};

} // namespace sb::app
