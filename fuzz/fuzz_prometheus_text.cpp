// libFuzzer target for PrometheusTextParser. Input: one byte choosing tight or default
// limits, then the exposition text. Checks that the parse is total and bounded, that every
// kept sample has a valid name and labels, that line numbers stay in range, and that
// re-parsing the complete lines of the input gives the same samples (the parse of a line
// depends on that line and the HELP/TYPE lines before it, never on what follows).
#include "protocol/PrometheusTextParser.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>

using namespace sb::protocol;

namespace {

void check(bool condition)
{
    if (!condition)
        std::abort();
}

bool sameValue(double a, double b)
{
    return (std::isnan(a) && std::isnan(b)) || a == b;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    PrometheusTextParser::Limits limits;
    if (data[0] & 1) {
        limits.maxInputBytes = 512;
        limits.maxLineBytes = 64;
        limits.maxSamples = 8;
        limits.maxLabelsPerSample = 3;
        limits.maxErrors = 4;
    }
    const QByteArrayView input(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1));
    const PrometheusTextParser::Result result = PrometheusTextParser::parse(input, limits);

    check(result.samples.size() <= limits.maxSamples);
    check(result.errors.size() <= limits.maxErrors);
    check(result.errorCount >= result.errors.size());
    check(result.ok() == (result.errorCount == 0 && !result.truncated));
    for (const auto &error : result.errors)
        check(error.line >= 0 && error.line <= result.lineCount && !error.message.isEmpty());
    for (const auto &sample : result.samples) {
        check(PrometheusTextParser::isValidMetricName(sample.name));
        check(sample.labels.size() <= limits.maxLabelsPerSample);
        check(sample.line >= 1 && sample.line <= result.lineCount);
        for (const auto &label : sample.labels)
            check(PrometheusTextParser::isValidLabelName(label.first));
    }

    // Dropping an incomplete last line never changes the samples before it.
    if (!result.truncated) {
        const qsizetype lastNewline = input.lastIndexOf('\n');
        const QByteArrayView complete = input.first(lastNewline + 1);
        const PrometheusTextParser::Result prefix = PrometheusTextParser::parse(complete, limits);
        check(prefix.samples.size() <= result.samples.size());
        for (qsizetype i = 0; i < prefix.samples.size(); ++i) {
            check(prefix.samples[i].name == result.samples[i].name);
            check(prefix.samples[i].labels == result.samples[i].labels);
            check(sameValue(prefix.samples[i].value, result.samples[i].value));
            check(prefix.samples[i].timestampMs == result.samples[i].timestampMs);
        }
    }
    return 0;
}
