#include "protocol/Utf8Validator.h"
#include "support/TestMain.h"

#include <QTest>

using namespace sb::protocol;

class TestUtf8Validator : public QObject
{
    Q_OBJECT

private slots:
    void table_data();
    void table();
    void incrementalAcrossFragments();
    void failureIsSticky();
    void everyScalarValueIsValidAndNoSurrogate();
};

void TestUtf8Validator::table_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("valid");

    QTest::newRow("empty") << QByteArray() << true;
    QTest::newRow("ascii") << QByteArray("hello, STOMP") << true;
    QTest::newRow("NUL is valid UTF-8") << QByteArray("a\0b", 3) << true;
    QTest::newRow("2-byte e-acute") << QByteArray("\xc3\xa9") << true;
    QTest::newRow("U+0080 min 2-byte") << QByteArray("\xc2\x80") << true;
    QTest::newRow("U+07FF max 2-byte") << QByteArray("\xdf\xbf") << true;
    QTest::newRow("U+0800 min 3-byte") << QByteArray("\xe0\xa0\x80") << true;
    QTest::newRow("euro") << QByteArray("\xe2\x82\xac") << true;
    QTest::newRow("U+D7FF before surrogates") << QByteArray("\xed\x9f\xbf") << true;
    QTest::newRow("U+E000 after surrogates") << QByteArray("\xee\x80\x80") << true;
    QTest::newRow("U+FFFF") << QByteArray("\xef\xbf\xbf") << true;
    QTest::newRow("U+10000 min 4-byte") << QByteArray("\xf0\x90\x80\x80") << true;
    QTest::newRow("emoji") << QByteArray("\xf0\x9f\x98\x80") << true;
    QTest::newRow("U+10FFFF max") << QByteArray("\xf4\x8f\xbf\xbf") << true;

    QTest::newRow("overlong NUL 2-byte") << QByteArray("\xc0\x80") << false;
    QTest::newRow("overlong slash 2-byte") << QByteArray("\xc1\xaf") << false;
    QTest::newRow("overlong 3-byte") << QByteArray("\xe0\x80\xaf") << false;
    QTest::newRow("overlong U+07FF 3-byte") << QByteArray("\xe0\x9f\xbf") << false;
    QTest::newRow("overlong 4-byte") << QByteArray("\xf0\x80\x80\xaf") << false;
    QTest::newRow("overlong U+FFFF 4-byte") << QByteArray("\xf0\x8f\xbf\xbf") << false;
    QTest::newRow("surrogate U+D800") << QByteArray("\xed\xa0\x80") << false;
    QTest::newRow("surrogate U+DFFF") << QByteArray("\xed\xbf\xbf") << false;
    QTest::newRow("surrogate pair CESU") << QByteArray("\xed\xa0\xbd\xed\xb8\x80") << false;
    QTest::newRow("U+110000") << QByteArray("\xf4\x90\x80\x80") << false;
    QTest::newRow("F5 lead") << QByteArray("\xf5\x80\x80\x80") << false;
    QTest::newRow("FF byte") << QByteArray("\xff") << false;
    QTest::newRow("FE byte") << QByteArray("\xfe") << false;
    QTest::newRow("5-byte form") << QByteArray("\xf8\x88\x80\x80\x80") << false;
    QTest::newRow("stray continuation") << QByteArray("a\x80") << false;
    QTest::newRow("truncated 2-byte") << QByteArray("\xc3") << false;
    QTest::newRow("truncated 3-byte") << QByteArray("\xe2\x82") << false;
    QTest::newRow("truncated 4-byte") << QByteArray("\xf0\x9f\x98") << false;
    QTest::newRow("truncated then ascii") << QByteArray("\xe2\x82"
                                                        "a")
                                          << false;
    QTest::newRow("lead then lead") << QByteArray("\xc3\xc3\xa9") << false;
}

void TestUtf8Validator::table()
{
    QFETCH(QByteArray, bytes);
    QFETCH(bool, valid);
    QCOMPARE(isValidUtf8(bytes), valid);
    // Byte by byte gives the same verdict.
    Utf8Validator validator;
    for (char c : std::as_const(bytes))
        validator.feed(QByteArrayView(&c, 1));
    QCOMPARE(validator.isComplete(), valid);
}

void TestUtf8Validator::incrementalAcrossFragments()
{
    Utf8Validator validator;
    QVERIFY(validator.feed("caf\xc3"));
    QVERIFY(!validator.isComplete()); // open sequence: a final fragment here is an error
    QVERIFY(!validator.hasFailed());
    QVERIFY(validator.feed("\xa9 \xf0\x9f"));
    QVERIFY(validator.feed("\x98\x80"));
    QVERIFY(validator.isComplete());
}

void TestUtf8Validator::failureIsSticky()
{
    Utf8Validator validator;
    QVERIFY(!validator.feed("\xed\xa0\x80"));
    QVERIFY(validator.hasFailed());
    QVERIFY(!validator.feed("ok"));
    QVERIFY(!validator.isComplete());
    validator.reset();
    QVERIFY(validator.feed("ok"));
    QVERIFY(validator.isComplete());
}

void TestUtf8Validator::everyScalarValueIsValidAndNoSurrogate()
{
    // Every scalar value encodes to valid UTF-8; every surrogate encoding is rejected.
    for (char32_t cp = 0; cp <= 0x10FFFF; cp += (cp < 0x800 ? 1 : 61)) {
        const bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
        QByteArray bytes;
        if (cp < 0x80) {
            bytes.append(char(cp));
        } else if (cp < 0x800) {
            bytes.append(char(0xC0 | (cp >> 6))).append(char(0x80 | (cp & 0x3F)));
        } else if (cp < 0x10000) {
            bytes.append(char(0xE0 | (cp >> 12)))
                .append(char(0x80 | ((cp >> 6) & 0x3F)))
                .append(char(0x80 | (cp & 0x3F)));
        } else {
            bytes.append(char(0xF0 | (cp >> 18)))
                .append(char(0x80 | ((cp >> 12) & 0x3F)))
                .append(char(0x80 | ((cp >> 6) & 0x3F)))
                .append(char(0x80 | (cp & 0x3F)));
        }
        QVERIFY2(isValidUtf8(bytes) == !surrogate, qPrintable(QString::number(uint(cp), 16)));
    }
}

SB_TEST_APPLESS_MAIN(TestUtf8Validator)
#include "tst_utf8validator.moc"
