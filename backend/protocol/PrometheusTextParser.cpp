#include "protocol/PrometheusTextParser.h"

#include "protocol/Utf8Text.h"
#include "protocol/Utf8Validator.h"

#include <QSet>

#include <cmath>
#include <limits>

namespace sb::protocol {

namespace {

bool isBlank(char c)
{
    return c == ' ' || c == '\t';
}

bool isNameStart(char c, bool allowColon)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (allowColon && c == ':');
}

bool isNameChar(char c, bool allowColon)
{
    return isNameStart(c, allowColon) || (c >= '0' && c <= '9');
}

// A cursor over one line. Every read is bounds-checked, so a truncated line ends in an
// error message rather than a read past its end.
class Cursor
{
public:
    explicit Cursor(QByteArrayView text)
        : m_text(text)
    { }

    bool atEnd() const { return m_pos >= m_text.size(); }
    char peek() const { return atEnd() ? '\0' : m_text.at(m_pos); }
    void advance() { ++m_pos; }
    qsizetype position() const { return m_pos; }
    // Skips spaces and tabs; true when at least one was skipped.
    bool skipBlanks()
    {
        const qsizetype start = m_pos;
        while (!atEnd() && isBlank(m_text.at(m_pos)))
            ++m_pos;
        return m_pos > start;
    }
    QByteArrayView name(bool allowColon)
    {
        const qsizetype start = m_pos;
        if (atEnd() || !isNameStart(m_text.at(m_pos), allowColon))
            return {};
        while (!atEnd() && isNameChar(m_text.at(m_pos), allowColon))
            ++m_pos;
        return m_text.sliced(start, m_pos - start);
    }
    QByteArrayView token()
    {
        const qsizetype start = m_pos;
        while (!atEnd() && !isBlank(m_text.at(m_pos)))
            ++m_pos;
        return m_text.sliced(start, m_pos - start);
    }
    QByteArrayView rest() const { return atEnd() ? QByteArrayView() : m_text.sliced(m_pos); }

private:
    QByteArrayView m_text;
    qsizetype m_pos = 0;
};

QString quoted(QByteArrayView bytes)
{
    // Error messages quote at most 40 bytes of the offending text, never the whole line.
    QByteArray shown = bytes.first(qMin<qsizetype>(40, bytes.size())).toByteArray();
    if (bytes.size() > 40)
        shown += "...";
    return QLatin1Char('\'') + QString::fromUtf8(shown) + QLatin1Char('\'');
}

// `"value"` with the \\ \" \n escapes; the cursor stands on the opening quote.
bool readLabelValue(Cursor &cursor, QString *value, QString *error)
{
    cursor.advance(); // the opening quote
    QByteArray bytes;
    while (true) {
        if (cursor.atEnd()) {
            *error = QStringLiteral("unterminated label value");
            return false;
        }
        const char c = cursor.peek();
        cursor.advance();
        if (c == '"')
            break;
        if (c != '\\') {
            bytes += c;
            continue;
        }
        if (cursor.atEnd()) {
            *error = QStringLiteral("unterminated escape in label value");
            return false;
        }
        const char escaped = cursor.peek();
        cursor.advance();
        switch (escaped) {
        case '\\':
            bytes += '\\';
            break;
        case '"':
            bytes += '"';
            break;
        case 'n':
            bytes += '\n';
            break;
        default:
            *error = QStringLiteral("invalid escape \\%1 in label value").arg(QLatin1Char(escaped));
            return false;
        }
    }
    if (!isValidUtf8(bytes)) {
        *error = QStringLiteral("label value is not valid UTF-8");
        return false;
    }
    *value = decodeUtf8KeepingBom(bytes);
    return true;
}

// `{name="value",...}`; the cursor stands on '{'. A trailing comma is allowed (as in
// Prometheus' own parser); blanks around the tokens too.
bool readLabels(Cursor &cursor, int maxLabels, QList<PrometheusTextParser::Label> *labels, QString *error)
{
    cursor.advance(); // '{'
    while (true) {
        cursor.skipBlanks();
        if (cursor.peek() == '}') {
            cursor.advance();
            return true;
        }
        const QByteArrayView name = cursor.name(false);
        if (name.isEmpty()) {
            *error = cursor.atEnd() ? QStringLiteral("unterminated label set")
                                    : QStringLiteral("invalid label name at %1").arg(quoted(cursor.rest()));
            return false;
        }
        cursor.skipBlanks();
        if (cursor.peek() != '=') {
            *error = QStringLiteral("expected '=' after label %1").arg(quoted(name));
            return false;
        }
        cursor.advance();
        cursor.skipBlanks();
        if (cursor.peek() != '"') {
            *error = QStringLiteral("expected '\"' to start the value of label %1").arg(quoted(name));
            return false;
        }
        QString value;
        if (!readLabelValue(cursor, &value, error))
            return false;
        for (const auto &existing : std::as_const(*labels)) {
            if (existing.first == name) {
                *error = QStringLiteral("duplicate label %1").arg(quoted(name));
                return false;
            }
        }
        if (labels->size() >= maxLabels) {
            *error = QStringLiteral("more than %1 labels").arg(maxLabels);
            return false;
        }
        labels->append({ name.toByteArray(), value });
        cursor.skipBlanks();
        if (cursor.peek() == ',') {
            cursor.advance();
            continue;
        }
        if (cursor.peek() == '}') {
            cursor.advance();
            return true;
        }
        *error = cursor.atEnd() ? QStringLiteral("unterminated label set")
                                : QStringLiteral("expected ',' or '}' at %1").arg(quoted(cursor.rest()));
        return false;
    }
}

// name and labels; the value is read by the caller.
bool readSeries(Cursor &cursor, int maxLabels, PrometheusTextParser::Sample *sample, QString *error)
{
    const QByteArrayView name = cursor.name(true);
    if (name.isEmpty()) {
        *error = QStringLiteral("expected a metric name at %1").arg(quoted(cursor.rest()));
        return false;
    }
    sample->name = name.toByteArray();
    const bool blank = cursor.skipBlanks();
    if (cursor.peek() == '{')
        return readLabels(cursor, maxLabels, &sample->labels, error);
    if (!blank && !cursor.atEnd()) {
        *error = QStringLiteral("invalid character in metric name at %1").arg(quoted(cursor.rest()));
        return false;
    }
    return true;
}

std::optional<PrometheusTextParser::Type> typeFromName(QByteArrayView text)
{
    using Type = PrometheusTextParser::Type;
    if (text == "counter")
        return Type::Counter;
    if (text == "gauge")
        return Type::Gauge;
    if (text == "histogram")
        return Type::Histogram;
    if (text == "summary")
        return Type::Summary;
    if (text == "untyped")
        return Type::Untyped;
    return std::nullopt;
}

// HELP text escapes: \\ and \n; any other backslash is kept as written (the format leaves
// it undefined, and a help string is never worth rejecting a scrape over).
QString unescapeHelp(QByteArrayView text)
{
    QByteArray out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text.at(i) == '\\' && i + 1 < text.size() && (text.at(i + 1) == '\\' || text.at(i + 1) == 'n')) {
            out += text.at(i + 1) == 'n' ? '\n' : '\\';
            ++i;
        } else {
            out += text.at(i);
        }
    }
    return decodeUtf8KeepingBom(out);
}

// The parse of one input, line by line.
class Parse
{
public:
    Parse(const PrometheusTextParser::Limits &limits, PrometheusTextParser::Result &result)
        : m_limits(limits)
        , m_result(result)
    { }

    void line(QByteArrayView text, int number)
    {
        Cursor cursor(text);
        cursor.skipBlanks();
        if (cursor.atEnd())
            return;
        if (cursor.peek() == '#')
            comment(cursor, number);
        else
            sample(cursor, number);
    }

    void error(int line, const QString &message)
    {
        ++m_result.errorCount;
        if (m_result.errors.size() < m_limits.maxErrors)
            m_result.errors.append({ line, message });
    }

private:
    void comment(Cursor &cursor, int number)
    {
        cursor.advance(); // '#'
        cursor.skipBlanks();
        const QByteArrayView keyword = cursor.token();
        const bool isHelp = keyword == "HELP";
        if (!isHelp && keyword != "TYPE")
            return; // a plain comment
        if (!cursor.skipBlanks()) {
            error(number, QStringLiteral("%1 without a metric name").arg(QString::fromLatin1(keyword)));
            return;
        }
        const QByteArrayView name = cursor.name(true);
        if (name.isEmpty() || (!cursor.atEnd() && !isBlank(cursor.peek()))) {
            error(number,
                QStringLiteral("invalid metric name in %1 at %2")
                    .arg(QString::fromLatin1(keyword), quoted(cursor.rest())));
            return;
        }
        cursor.skipBlanks();
        PrometheusTextParser::Family *family = familyFor(name.toByteArray(), number);
        if (!family)
            return;
        if (isHelp) {
            if (family->hasHelp) {
                error(number, QStringLiteral("second HELP for %1").arg(quoted(name)));
                return;
            }
            family->hasHelp = true;
            family->help = unescapeHelp(cursor.rest());
            return;
        }
        const QByteArrayView typeText = cursor.token();
        cursor.skipBlanks();
        const auto type = typeFromName(typeText);
        if (!type || !cursor.atEnd()) {
            error(
                number, QStringLiteral("unknown metric type %1 for %2").arg(quoted(typeText), quoted(name)));
            return;
        }
        if (family->hasType) {
            error(number, QStringLiteral("second TYPE for %1").arg(quoted(name)));
            return;
        }
        if (m_sampled.contains(family->name)) {
            error(number, QStringLiteral("TYPE for %1 after its samples").arg(quoted(name)));
            return;
        }
        family->hasType = true;
        family->type = *type;
    }

    PrometheusTextParser::Family *familyFor(const QByteArray &name, int number)
    {
        auto it = m_result.families.find(name);
        if (it != m_result.families.end())
            return &it.value();
        if (m_result.families.size() >= m_limits.maxFamilies) {
            error(number,
                QStringLiteral("more than %1 metric families; HELP/TYPE ignored").arg(m_limits.maxFamilies));
            return nullptr;
        }
        PrometheusTextParser::Family family;
        family.name = name;
        return &m_result.families.insert(name, family).value();
    }

    void sample(Cursor &cursor, int number)
    {
        if (m_result.samples.size() >= m_limits.maxSamples) {
            if (!m_result.truncated)
                error(number,
                    QStringLiteral("more than %1 samples; the rest are ignored").arg(m_limits.maxSamples));
            m_result.truncated = true;
            return;
        }
        PrometheusTextParser::Sample sample;
        sample.line = number;
        QString message;
        if (!readSeries(cursor, m_limits.maxLabelsPerSample, &sample, &message)) {
            error(number, message);
            return;
        }
        cursor.skipBlanks();
        const QByteArrayView valueText = cursor.token();
        if (valueText.isEmpty()) {
            error(number, QStringLiteral("missing value for %1").arg(quoted(sample.name)));
            return;
        }
        const auto value = PrometheusTextParser::parseValue(valueText);
        if (!value) {
            error(number, QStringLiteral("invalid value %1").arg(quoted(valueText)));
            return;
        }
        sample.value = *value;
        cursor.skipBlanks();
        if (!cursor.atEnd()) {
            const QByteArrayView stampText = cursor.token();
            bool ok = false;
            const qint64 stamp = stampText.toByteArray().toLongLong(&ok);
            if (!ok || stampText.contains('+') || stampText.contains(' ')) {
                error(number, QStringLiteral("invalid timestamp %1").arg(quoted(stampText)));
                return;
            }
            sample.timestampMs = stamp;
            cursor.skipBlanks();
            if (!cursor.atEnd()) {
                error(number,
                    QStringLiteral("unexpected text after the timestamp: %1").arg(quoted(cursor.rest())));
                return;
            }
        }
        if (!checkStructure(sample, number))
            return;
        const PrometheusTextParser::Family *family = m_result.familyOf(sample.name);
        m_sampled.insert(family ? family->name : sample.name);
        m_result.samples.append(std::move(sample));
    }

    // The one structural rule a consumer relies on: histogram buckets carry a numeric `le`.
    bool checkStructure(const PrometheusTextParser::Sample &sample, int number)
    {
        if (!sample.name.endsWith("_bucket")
            || m_result.typeOf(sample.name) != PrometheusTextParser::Type::Histogram)
            return true;
        const auto le = sample.label("le");
        if (!le || !PrometheusTextParser::parseValue(le->toUtf8())) {
            error(number,
                QStringLiteral("histogram bucket %1 without a numeric 'le' label").arg(quoted(sample.name)));
            return false;
        }
        return true;
    }

    const PrometheusTextParser::Limits &m_limits;
    PrometheusTextParser::Result &m_result;
    QSet<QByteArray> m_sampled; // families that already have samples (TYPE must come first)
};

} // namespace

std::optional<QString> PrometheusTextParser::Sample::label(QByteArrayView labelName) const
{
    for (const auto &l : labels) {
        if (l.first == labelName)
            return l.second;
    }
    return std::nullopt;
}

const PrometheusTextParser::Family *PrometheusTextParser::Result::familyOf(const QByteArray &sampleName) const
{
    const auto exact = families.constFind(sampleName);
    if (exact != families.cend())
        return &exact.value();
    for (const char *suffix : { "_bucket", "_sum", "_count" }) {
        if (!sampleName.endsWith(suffix))
            continue;
        const QByteArray base = sampleName.chopped(qsizetype(qstrlen(suffix)));
        const auto it = families.constFind(base);
        if (it != families.cend()
            && (it->type == Type::Histogram
                || (it->type == Type::Summary && qstrcmp(suffix, "_bucket") != 0)))
            return &it.value();
    }
    return nullptr;
}

PrometheusTextParser::Type PrometheusTextParser::Result::typeOf(const QByteArray &sampleName) const
{
    const Family *family = familyOf(sampleName);
    return family ? family->type : Type::Untyped;
}

PrometheusTextParser::Result PrometheusTextParser::parse(QByteArrayView text)
{
    return parse(text, Limits());
}

PrometheusTextParser::Result PrometheusTextParser::parse(QByteArrayView text, const Limits &limits)
{
    Result result;
    Parse parse(limits, result);
    if (text.size() > limits.maxInputBytes) {
        // Cut at the last complete line inside the limit, so no half line is parsed.
        const qsizetype cut = text.first(limits.maxInputBytes).lastIndexOf('\n');
        text = text.first(cut < 0 ? 0 : cut + 1);
        result.truncated = true;
        parse.error(
            0, QStringLiteral("input larger than %1 bytes; the rest is ignored").arg(limits.maxInputBytes));
    }
    qsizetype start = 0;
    int number = 0;
    while (start < text.size()) {
        qsizetype end = text.indexOf('\n', start);
        if (end < 0)
            end = text.size();
        ++number;
        QByteArrayView line = text.sliced(start, end - start);
        start = end + 1;
        if (line.endsWith('\r'))
            line.chop(1); // tolerated: some proxies rewrite line ends
        if (line.size() > limits.maxLineBytes) {
            parse.error(number, QStringLiteral("line longer than %1 bytes").arg(limits.maxLineBytes));
            continue;
        }
        parse.line(line, number);
    }
    result.lineCount = number;
    return result;
}

std::optional<PrometheusTextParser::Sample> PrometheusTextParser::parseSeries(
    QByteArrayView text, QString *error)
{
    Cursor cursor(text);
    cursor.skipBlanks();
    Sample sample;
    QString message;
    if (!readSeries(cursor, Limits().maxLabelsPerSample, &sample, &message)) {
        if (error)
            *error = message;
        return std::nullopt;
    }
    cursor.skipBlanks();
    if (!cursor.atEnd()) {
        if (error)
            *error = QStringLiteral("unexpected text after the series: %1").arg(quoted(cursor.rest()));
        return std::nullopt;
    }
    return sample;
}

QString PrometheusTextParser::typeName(Type type)
{
    switch (type) {
    case Type::Counter:
        return QStringLiteral("counter");
    case Type::Gauge:
        return QStringLiteral("gauge");
    case Type::Histogram:
        return QStringLiteral("histogram");
    case Type::Summary:
        return QStringLiteral("summary");
    case Type::Untyped:
        break;
    }
    return QStringLiteral("untyped");
}

bool PrometheusTextParser::isValidMetricName(QByteArrayView name)
{
    Cursor cursor(name);
    return !cursor.name(true).isEmpty() && cursor.atEnd();
}

bool PrometheusTextParser::isValidLabelName(QByteArrayView name)
{
    Cursor cursor(name);
    return !cursor.name(false).isEmpty() && cursor.atEnd();
}

std::optional<double> PrometheusTextParser::parseValue(QByteArrayView text)
{
    if (text.isEmpty() || text.size() > 64)
        return std::nullopt;
    QByteArrayView body = text;
    bool negative = false;
    if (body.front() == '+' || body.front() == '-') {
        negative = body.front() == '-';
        body = body.sliced(1);
    }
    const QByteArray lower = body.toByteArray().toLower();
    if (lower == "inf" || lower == "infinity")
        return negative ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
    if (lower == "nan")
        return std::numeric_limits<double>::quiet_NaN();
    // Plain decimal with an optional exponent; everything else (hex, spaces, "1e", "..")
    // is rejected here or by toDouble's own check.
    if (body.isEmpty())
        return std::nullopt;
    for (const char c : body) {
        if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'))
            return std::nullopt;
    }
    if (body.front() == '+' || body.front() == '-')
        return std::nullopt; // a second sign
    bool ok = false;
    const double value = text.toByteArray().toDouble(&ok);
    if (!ok)
        return std::nullopt;
    return value;
}

} // namespace sb::protocol
