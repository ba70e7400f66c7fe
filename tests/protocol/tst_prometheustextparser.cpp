#include "protocol/PrometheusTextParser.h"
#include "support/TestMain.h"

#include <QRandomGenerator>
#include <QTest>

#include <cmath>

using namespace sb::protocol;
using namespace Qt::StringLiterals;
using Parser = PrometheusTextParser;

class TestPrometheusTextParser : public QObject
{
    Q_OBJECT

private slots:
    void parsesWhatTheNodeServes()
    {
        const QByteArray text = "# HELP sb_connections Open client connections by transport.\n"
                                "# TYPE sb_connections gauge\n"
                                "sb_connections{transport=\"stomp\"} 3\n"
                                "sb_connections{transport=\"sse\"} 2\n"
                                "# TYPE sb_subscriptions gauge\n"
                                "sb_subscriptions 7\n"
                                "# TYPE sb_messages_total counter\n"
                                "sb_messages_total{transport=\"stomp\",direction=\"in\"} 12\n";
        const Parser::Result result = Parser::parse(text);
        QVERIFY2(result.ok(), qPrintable(result.errors.value(0).message));
        QCOMPARE(result.lineCount, 8);
        QCOMPARE(result.samples.size(), 4);
        QCOMPARE(result.samples[0].name, "sb_connections"_ba);
        QCOMPARE(result.samples[0].label("transport"), std::optional<QString>(u"stomp"_s));
        QCOMPARE(result.samples[0].value, 3.0);
        QCOMPARE(result.samples[0].line, 3);
        QCOMPARE(result.samples[3].labels.size(), 2);
        QCOMPARE(result.samples[3].label("direction"), std::optional<QString>(u"in"_s));
        QCOMPARE(result.families.value("sb_connections").type, Parser::Type::Gauge);
        QCOMPARE(result.families.value("sb_connections").help, u"Open client connections by transport."_s);
        QCOMPARE(result.typeOf("sb_messages_total"), Parser::Type::Counter);
    }

    void labelEscapesAndUtf8()
    {
        const QByteArray text
            = "m{path=\"C:\\\\dir\",quote=\"say \\\"hi\\\"\",nl=\"a\\nb\",u=\"caf\xc3\xa9\"} 1\n";
        const Parser::Result result = Parser::parse(text);
        QVERIFY(result.ok());
        QCOMPARE(result.samples.size(), 1);
        const auto &s = result.samples[0];
        QCOMPARE(s.label("path"), std::optional<QString>(u"C:\\dir"_s));
        QCOMPARE(s.label("quote"), std::optional<QString>(u"say \"hi\""_s));
        QCOMPARE(s.label("nl"), std::optional<QString>(u"a\nb"_s));
        QCOMPARE(s.label("u"), std::optional<QString>(u"caf\u00e9"_s));
        QCOMPARE(s.label("absent"), std::nullopt);
    }

    void specialValuesAndTimestamps_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<double>("value");
        QTest::addColumn<qint64>("timestamp"); // -1: none
        QTest::newRow("integer") << "a 42"_ba << 42.0 << qint64(-1);
        QTest::newRow("float") << "a 0.25"_ba << 0.25 << qint64(-1);
        QTest::newRow("exponent") << "a 1.5e3"_ba << 1500.0 << qint64(-1);
        QTest::newRow("negative") << "a -3"_ba << -3.0 << qint64(-1);
        QTest::newRow("+Inf") << "a +Inf"_ba << qInf() << qint64(-1);
        QTest::newRow("-Inf") << "a -Inf"_ba << -qInf() << qint64(-1);
        QTest::newRow("timestamp") << "a 1 1395066363000"_ba << 1.0 << qint64(1395066363000);
        QTest::newRow("negative timestamp") << "a 1 -5"_ba << 1.0 << qint64(-5);
        QTest::newRow("labels, spaces, timestamp") << "a { x = \"1\" , } 2\t17"_ba << 2.0 << qint64(17);
        QTest::newRow("CRLF tolerated") << "a 9\r"_ba << 9.0 << qint64(-1);
        QTest::newRow("colon in name") << "job:rate5m 4"_ba << 4.0 << qint64(-1);
    }

    void specialValuesAndTimestamps()
    {
        QFETCH(QByteArray, line);
        QFETCH(double, value);
        QFETCH(qint64, timestamp);
        const Parser::Result result = Parser::parse(QByteArray(line + '\n'));
        QVERIFY2(result.ok(), qPrintable(result.errors.value(0).message));
        QCOMPARE(result.samples.size(), 1);
        QCOMPARE(result.samples[0].value, value);
        QCOMPARE(result.samples[0].timestampMs.value_or(-1), timestamp);
    }

    void nan()
    {
        const Parser::Result result = Parser::parse("a NaN\nb nan\n");
        QVERIFY(result.ok());
        QCOMPARE(result.samples.size(), 2);
        QVERIFY(std::isnan(result.samples[0].value));
        QVERIFY(std::isnan(result.samples[1].value));
    }

    void histogramAndSummaryFamilies()
    {
        const QByteArray text = "# TYPE lat histogram\n"
                                "lat_bucket{le=\"0.1\"} 1\n"
                                "lat_bucket{le=\"+Inf\"} 3\n"
                                "lat_sum 0.7\n"
                                "lat_count 3\n"
                                "# TYPE rpc summary\n"
                                "rpc{quantile=\"0.5\"} 0.01\n"
                                "rpc_sum 1\n"
                                "rpc_count 2\n";
        const Parser::Result result = Parser::parse(text);
        QVERIFY2(result.ok(), qPrintable(result.errors.value(0).message));
        QCOMPARE(result.samples.size(), 7);
        QCOMPARE(result.typeOf("lat_bucket"), Parser::Type::Histogram);
        QCOMPARE(result.typeOf("lat_count"), Parser::Type::Histogram);
        QCOMPARE(result.typeOf("rpc_sum"), Parser::Type::Summary);
        QCOMPARE(result.typeOf("rpc_bucket"), Parser::Type::Untyped); // summaries have no buckets
        QCOMPARE(result.samples[1].label("le"), std::optional<QString>(u"+Inf"_s));
    }

    void commentsAndBlankLinesAreIgnored()
    {
        const Parser::Result result = Parser::parse("# just a comment\n\n   \n#\n# HELPX not help\nx 1\n");
        QVERIFY(result.ok());
        QCOMPARE(result.samples.size(), 1);
        QVERIFY(result.families.isEmpty());
    }

    void leadingBomInALabelValueIsData()
    {
        const Parser::Result result = Parser::parse("a{x=\"\xEF\xBB\xBFv\"} 1\n# HELP a \xEF\xBB\xBFh\n");
        QVERIFY2(result.ok(), qPrintable(result.errors.value(0).message));
        QCOMPARE(result.samples.value(0).label("x"), std::optional<QString>(u"\ufeffv"_s));
        QCOMPARE(result.families.value("a").help, u"\ufeffh"_s);
    }

    void helpEscapes()
    {
        const Parser::Result result = Parser::parse("# HELP m first\\nsecond \\\\ back \\q\n");
        QVERIFY(result.ok());
        QCOMPARE(result.families.value("m").help, u"first\nsecond \\ back \\q"_s);
    }

    void malformedLinesAreReportedWithLineNumbers_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("fragment");
        QTest::newRow("no value") << "a"_ba << u"missing value"_s;
        QTest::newRow("no value after labels") << "a{x=\"1\"}"_ba << u"missing value"_s;
        QTest::newRow("bad value") << "a one"_ba << u"invalid value"_s;
        QTest::newRow("hex value") << "a 0x10"_ba << u"invalid value"_s;
        QTest::newRow("double sign") << "a --1"_ba << u"invalid value"_s;
        QTest::newRow("bad timestamp") << "a 1 12.5"_ba << u"invalid timestamp"_s;
        QTest::newRow("trailing text") << "a 1 2 3"_ba << u"after the timestamp"_s;
        QTest::newRow("digit-first name") << "9a 1"_ba << u"expected a metric name"_s;
        QTest::newRow("bad name char") << "a-b 1"_ba << u"invalid character"_s;
        QTest::newRow("unterminated labels") << "a{x=\"1\""_ba << u"unterminated label set"_s;
        QTest::newRow("unterminated value") << "a{x=\"1} 2"_ba << u"unterminated label value"_s;
        QTest::newRow("bad escape") << "a{x=\"\\t\"} 1"_ba << u"invalid escape"_s;
        QTest::newRow("dangling escape") << "a{x=\"\\"_ba << u"unterminated escape"_s;
        QTest::newRow("unquoted value") << "a{x=1} 1"_ba << u"expected '\"'"_s;
        QTest::newRow("missing equals") << "a{x\"1\"} 1"_ba << u"expected '='"_s;
        QTest::newRow("colon in label") << "a{x:y=\"1\"} 1"_ba << u"expected '='"_s;
        QTest::newRow("duplicate label") << "a{x=\"1\",x=\"2\"} 1"_ba << u"duplicate label"_s;
        QTest::newRow("junk in labels") << "a{x=\"1\";y=\"2\"} 1"_ba << u"expected ',' or '}'"_s;
        QTest::newRow("invalid utf-8") << "a{x=\"\xff\xfe\"} 1"_ba << u"UTF-8"_s;
        QTest::newRow("TYPE without name") << "# TYPE"_ba << u"without a metric name"_s;
        QTest::newRow("unknown type") << "# TYPE a thing"_ba << u"unknown metric type"_s;
        QTest::newRow("bad name in HELP") << "# HELP 1a text"_ba << u"invalid metric name"_s;
    }

    void malformedLinesAreReportedWithLineNumbers()
    {
        QFETCH(QByteArray, line);
        QFETCH(QString, fragment);
        // The bad line sits between good ones: it is reported and the others still parse.
        const Parser::Result result = Parser::parse(QByteArray("good 1\n" + line + "\nalso_good 2\n"));
        QCOMPARE(result.errorCount, 1);
        QCOMPARE(result.errors.size(), 1);
        QCOMPARE(result.errors[0].line, 2);
        QVERIFY2(result.errors[0].message.contains(fragment), qPrintable(result.errors[0].message));
        QCOMPARE(result.samples.size(), 2);
        QCOMPARE(result.samples[1].name, "also_good"_ba);
        QCOMPARE(result.samples[1].line, 3);
    }

    void typeRules()
    {
        const Parser::Result result = Parser::parse("# TYPE a gauge\n# TYPE a counter\nb 1\n# TYPE b gauge\n"
                                                    "# TYPE h histogram\nh_bucket 1\n");
        QCOMPARE(result.errorCount, 3);
        QCOMPARE(result.errors[0].line, 2);
        QVERIFY(result.errors[0].message.contains(u"second TYPE"_s));
        QCOMPARE(result.errors[1].line, 4);
        QVERIFY(result.errors[1].message.contains(u"after its samples"_s));
        QCOMPARE(result.errors[2].line, 6);
        QVERIFY(result.errors[2].message.contains(u"'le'"_s));
        QCOMPARE(result.families.value("a").type, Parser::Type::Gauge);
    }

    void truncatedInput_data()
    {
        QTest::addColumn<int>("cut");
        const QByteArray full = fullText();
        for (int cut = 0; cut <= full.size(); ++cut)
            QTest::addRow("cut at %d", cut) << cut;
    }

    void truncatedInput()
    {
        // A scrape cut off at any byte: never a crash, every complete line still parses,
        // and a partial last line is either a valid sample or a reported error.
        QFETCH(int, cut);
        const QByteArray full = fullText();
        const QByteArray part = full.left(cut);
        const Parser::Result result = Parser::parse(part);
        const Parser::Result complete = Parser::parse(part.left(part.lastIndexOf('\n') + 1));
        QVERIFY(complete.ok());
        QVERIFY(result.samples.size() >= complete.samples.size());
        QVERIFY(result.samples.size() <= complete.samples.size() + 1);
        for (qsizetype i = 0; i < complete.samples.size(); ++i)
            QCOMPARE(result.samples[i].value, complete.samples[i].value);
    }

    void oversizedInputIsCutAtALineBoundary()
    {
        QByteArray text;
        for (int i = 0; i < 1000; ++i)
            text += "metric_" + QByteArray::number(i) + " " + QByteArray::number(i) + '\n';
        Parser::Limits limits;
        limits.maxInputBytes = 1000;
        const Parser::Result result = Parser::parse(text, limits);
        QVERIFY(result.truncated);
        QVERIFY(!result.ok());
        QCOMPARE(result.errors[0].line, 0);
        QVERIFY(result.errors[0].message.contains(u"larger than 1000 bytes"_s));
        QCOMPARE(result.errorCount, 1); // the cut leaves no half line behind
        QVERIFY(!result.samples.isEmpty());
        QCOMPARE(result.samples.last().name, "metric_" + QByteArray::number(result.samples.size() - 1));
    }

    void oversizedLineAndLimits()
    {
        Parser::Limits limits;
        limits.maxLineBytes = 100;
        limits.maxLabelsPerSample = 3;
        limits.maxSamples = 2;
        limits.maxErrors = 2;
        const QByteArray text = "a{x=\"" + QByteArray(200, 'v')
            + "\"} 1\n" // line 1: too long
              "b{a=\"1\",b=\"2\",c=\"3\",d=\"4\"} 1\n" // line 2: too many labels
              "c 1\nd 2\ne 3\nf 4\n"; // 3..6: two fit, then truncated
        const Parser::Result result = Parser::parse(text, limits);
        QCOMPARE(result.samples.size(), 2);
        QVERIFY(result.truncated);
        QCOMPARE(result.errors.size(), 2); // kept
        QCOMPARE(result.errorCount, 3); // counted
        QCOMPARE(result.errors[0].line, 1);
        QVERIFY(result.errors[0].message.contains(u"longer than 100"_s));
        QCOMPARE(result.errors[1].line, 2);
        QVERIFY(result.errors[1].message.contains(u"more than 3 labels"_s));
    }

    void hostileInputNeverCrashes()
    {
        // Random bytes biased towards the format's metacharacters: the parser must stay
        // total and bounded (this is the unit-test cousin of fuzz_prometheus_text).
        const char alphabet[] = "ab_:{}=\",\\\n #\t0123456789.eE+-InfNaHELPTYPE\r\xff";
        QRandomGenerator rng(20240501);
        Parser::Limits limits;
        limits.maxLineBytes = 256;
        limits.maxSamples = 1000;
        for (int round = 0; round < 300; ++round) {
            QByteArray text(int(rng.bounded(2000)), Qt::Uninitialized);
            for (char &c : text)
                c = alphabet[rng.bounded(int(sizeof alphabet) - 1)];
            const Parser::Result result = Parser::parse(text, limits);
            QVERIFY(result.samples.size() <= limits.maxSamples);
            QVERIFY(result.errors.size() <= limits.maxErrors);
            QVERIFY(result.errorCount >= result.errors.size());
            for (const auto &error : result.errors)
                QVERIFY(error.line >= 0 && error.line <= result.lineCount);
            for (const auto &sample : result.samples)
                QVERIFY(Parser::isValidMetricName(sample.name));
        }
        // Pathological shapes.
        QVERIFY(!Parser::parse(QByteArray(100000, '{')).ok());
        QVERIFY(!Parser::parse(QByteArray("a{" + QByteArray(50000, ',') + "} 1")).ok());
        QCOMPARE(Parser::parse(QByteArray(100000, '\n')).samples.size(), 0);
        QVERIFY(!Parser::parse(QByteArray("a\0 1\n", 5)).ok());
    }

    void seriesSelector_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<int>("labels");
        QTest::newRow("plain") << "sb_connections"_ba << true << "sb_connections"_ba << 0;
        QTest::newRow("labels") << " spring_ws{state=\"open\",app=\"x\"} "_ba << true << "spring_ws"_ba << 2;
        QTest::newRow("with value") << "a 1"_ba << false << QByteArray() << 0;
        QTest::newRow("empty") << ""_ba << false << QByteArray() << 0;
        QTest::newRow("broken") << "a{x="_ba << false << QByteArray() << 0;
    }

    void seriesSelector()
    {
        QFETCH(QByteArray, text);
        QFETCH(bool, valid);
        QFETCH(QByteArray, name);
        QFETCH(int, labels);
        QString error;
        const auto series = Parser::parseSeries(text, &error);
        QCOMPARE(series.has_value(), valid);
        QCOMPARE(error.isEmpty(), valid);
        if (series) {
            QCOMPARE(series->name, name);
            QCOMPARE(series->labels.size(), labels);
        }
    }

private:
    static QByteArray fullText()
    {
        return "# HELP m a metric\n# TYPE m gauge\nm{a=\"x\\\"y\",b=\"2\"} 1.5 1000\nm{a=\"z\"} +Inf\nm 3\n";
    }
};

SB_TEST_APPLESS_MAIN(TestPrometheusTextParser)
#include "tst_prometheustextparser.moc"
