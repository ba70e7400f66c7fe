#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QHash>
#include <QList>
#include <QPair>
#include <QString>

#include <optional>

namespace sb::protocol {

// Parser for the Prometheus text exposition format 0.0.4 (what /metrics, Spring's
// /actuator/prometheus and every client library serve): "# HELP" and "# TYPE" lines,
// other comments, samples `name{label="value",...} value [timestamp]`, label values with
// the \\ \" \n escapes, NaN / +Inf / -Inf values, millisecond timestamps, and the
// _bucket/_sum/_count (and quantile) series of histograms and summaries.
//
// The input comes from servers the console does not control, so the parser is total: a
// malformed line becomes an Error with its 1-based line number and parsing goes on with
// the next line; sizes are bounded (input, line, samples, labels, errors), and crossing a
// bound is reported, never a crash or an unbounded allocation. Pure: no I/O.
class PrometheusTextParser
{
public:
    enum class Type { Untyped, Counter, Gauge, Histogram, Summary };

    struct Limits
    {
        qsizetype maxInputBytes = 16 * 1024 * 1024; // the rest is ignored, truncated is set
        qsizetype maxLineBytes = 64 * 1024; // a longer line is an error and skipped
        qsizetype maxSamples = 500000; // further samples are dropped, truncated is set
        qsizetype maxFamilies = 100000; // further HELP/TYPE are dropped (samples still parse)
        int maxLabelsPerSample = 64;
        int maxErrors = 100; // further errors are only counted (errorCount)
    };

    using Label = QPair<QByteArray, QString>; // name (ASCII), value (UTF-8 decoded)

    struct Sample
    {
        QByteArray name;
        QList<Label> labels; // in the order written
        double value = 0;
        std::optional<qint64> timestampMs;
        int line = 0;

        // The label's value, or nullopt when the sample has no such label.
        std::optional<QString> label(QByteArrayView name) const;
    };

    struct Family
    {
        QByteArray name;
        Type type = Type::Untyped;
        QString help;
        bool hasHelp = false;
        bool hasType = false;
    };

    struct Error
    {
        int line = 0; // 1-based; 0 for whole-input problems (size)
        QString message;
    };

    struct Result
    {
        QList<Sample> samples;
        QHash<QByteArray, Family> families; // by the name in HELP/TYPE
        QList<Error> errors; // at most Limits::maxErrors
        qsizetype errorCount = 0; // all errors, including those not kept
        int lineCount = 0;
        bool truncated = false; // a size limit cut the input or the samples

        bool ok() const { return errorCount == 0 && !truncated; }
        // The family a sample belongs to: its own name, or for name_bucket / _sum / _count
        // the histogram or summary it is part of. nullptr when neither was declared.
        const Family *familyOf(const QByteArray &sampleName) const;
        // The type to treat a sample name as (Untyped when undeclared).
        Type typeOf(const QByteArray &sampleName) const;
    };

    static Result parse(QByteArrayView text);
    static Result parse(QByteArrayView text, const Limits &limits);

    // Parses one `name{label="value",...}` (no value) — a series selector as written in a
    // profile, e.g. `sb_connections` or `spring_websocket_sessions{state="open"}`.
    // nullopt with *error set when it is not one.
    static std::optional<Sample> parseSeries(QByteArrayView text, QString *error);

    static QString typeName(Type type);
    static bool isValidMetricName(QByteArrayView name);
    static bool isValidLabelName(QByteArrayView name);
    // A sample value as the format writes it (Go's ParseFloat: NaN, ±Inf, decimal, exponent).
    static std::optional<double> parseValue(QByteArrayView text);
};

} // namespace sb::protocol
