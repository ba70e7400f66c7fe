#include "protocol/StompVersion.h"
#include "support/TestMain.h"

#include <QTest>

using namespace sb::protocol;
using namespace Qt::StringLiterals;

class TestStompVersion : public QObject
{
    Q_OBJECT

private slots:
    void names();
    void negotiate_data();
    void negotiate();
    void restrictedServer();
};

void TestStompVersion::names()
{
    for (const StompVersion version : { StompVersion::V1_0, StompVersion::V1_1, StompVersion::V1_2 }) {
        StompVersion parsed = StompVersion::V1_0;
        QVERIFY(parseStompVersion(stompVersionName(version), &parsed));
        QCOMPARE(parsed, version);
    }
    StompVersion untouched = StompVersion::V1_1;
    QVERIFY(!parseStompVersion("2.0", &untouched));
    QVERIFY(!parseStompVersion("1.2 ", &untouched));
    QCOMPARE(untouched, StompVersion::V1_1);
}

void TestStompVersion::negotiate_data()
{
    QTest::addColumn<QByteArray>("acceptVersion");
    QTest::addColumn<bool>("present");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<StompVersion>("version");

    QTest::newRow("all three") << "1.0,1.1,1.2"_ba << true << true << StompVersion::V1_2;
    QTest::newRow("unordered") << "1.2,1.0"_ba << true << true << StompVersion::V1_2;
    QTest::newRow("1.1 only") << "1.1"_ba << true << true << StompVersion::V1_1;
    QTest::newRow("1.0 and 1.1") << "1.0,1.1"_ba << true << true << StompVersion::V1_1;
    QTest::newRow("spaces") << "1.0, 1.1"_ba << true << true << StompVersion::V1_1;
    QTest::newRow("unknown ones ignored") << "1.1,2.0,banana"_ba << true << true << StompVersion::V1_1;
    QTest::newRow("no header means 1.0") << QByteArray() << false << true << StompVersion::V1_0;
    QTest::newRow("none shared") << "2.0,3.0"_ba << true << false << StompVersion::V1_2;
    QTest::newRow("empty header") << ""_ba << true << false << StompVersion::V1_2;
}

void TestStompVersion::negotiate()
{
    QFETCH(QByteArray, acceptVersion);
    QFETCH(bool, present);
    QFETCH(bool, ok);
    QFETCH(StompVersion, version);
    const QByteArrayView header = present ? QByteArrayView(acceptVersion) : QByteArrayView();
    const StompVersionNegotiation result = negotiateStompVersion(header);
    QCOMPARE(result.ok, ok);
    if (ok) {
        QCOMPARE(result.version, version);
        QVERIFY(result.errorString.isEmpty());
    } else {
        QCOMPARE(result.supportedVersions, "1.0,1.1,1.2"_ba);
        QVERIFY2(result.errorString.contains(u"Supported protocol versions are 1.0,1.1,1.2"_s),
            qPrintable(result.errorString));
    }
}

void TestStompVersion::restrictedServer()
{
    const QList<StompVersion> only12 = { StompVersion::V1_2 };
    QCOMPARE(negotiateStompVersion("1.0,1.1,1.2", only12).version, StompVersion::V1_2);
    const StompVersionNegotiation legacy = negotiateStompVersion(QByteArrayView(), only12);
    QVERIFY(!legacy.ok);
    QCOMPARE(legacy.supportedVersions, "1.2"_ba);
    QVERIFY(legacy.errorString.contains(u"no accept-version header"_s));
    QVERIFY(!negotiateStompVersion("1.0,1.1", only12).ok);
}

SB_TEST_APPLESS_MAIN(TestStompVersion)
#include "tst_stompversion.moc"
