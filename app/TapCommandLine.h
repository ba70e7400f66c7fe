#pragma once

#include "app/CommandLineOutcome.h"
#include "app/TapTargetOptions.h"

#include <QStringList>

namespace sb::app {

// `switchboard tap (--node URL … | --profile NAME) [--user U] [--password P | --token T]
// [--filter EXPR] [--format jsonl|text] [--count N] [--timeout S]`: the decoded frames of
// every replica on stdout, one per line, like kcat for Kafka. Pure parsing.
class TapCommandLine
{
public:
    enum class Format { JsonLines, Text };
    struct Options
    {
        TapTargetOptions targets;
        QString filter;
        Format format = Format::JsonLines;
        int count = 0; // stop after N frames (0: never)
        int timeoutSeconds = 0; // stop after S seconds (0: never)
    };

    CommandLineOutcome parse(const QStringList &arguments);
    const Options &options() const { return m_options; }

private:
    Options m_options;
};

} // namespace sb::app
