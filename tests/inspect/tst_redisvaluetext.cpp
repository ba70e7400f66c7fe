#include "inspect/RedisValueText.h"
#include "support/TestMain.h"

#include <QTest>

using namespace sb::inspect;
using namespace Qt::StringLiterals;

// How the Redis value viewer shows a value's bytes.
class TestRedisValueText : public QObject
{
    Q_OBJECT

private slots:
    void utf8IsShownAsText()
    {
        QCOMPARE(RedisValueText::shown("caf\xc3\xa9"), u"café"_s);
        QCOMPARE(RedisValueText::shown({}), QString());
    }

    void otherBytesAreEscapedOneByOne()
    {
        QCOMPARE(RedisValueText::shown(QByteArray("a\x00\xff\n", 4)), u"a\\x00\\xff\\x0a"_s);
        QCOMPARE(RedisValueText::shown("\xc3"), u"\\xc3"_s); // a cut sequence is not text
    }

    void jsonIsPrettyPrintedElseShown()
    {
        QCOMPARE(RedisValueText::prettyJson(R"(  {"a":[1]} )"), u"{\n    \"a\": [\n        1\n    ]\n}\n"_s);
        QCOMPARE(RedisValueText::prettyJson("42"), QString()); // a scalar is shown as it is
        QCOMPARE(RedisValueText::prettyJson("{broken"), QString());
        QCOMPARE(RedisValueText::stringValue("{broken"), u"{broken"_s);
        QCOMPARE(RedisValueText::stringValue("[true]"), u"[\n    true\n]\n"_s);
    }
};

SB_TEST_APPLESS_MAIN(TestRedisValueText)
#include "tst_redisvaluetext.moc"
