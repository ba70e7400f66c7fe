// protocol::Gzip: what it compresses, gunzip (and zlib) read back byte for byte; what it
// decompresses is bounded, and every malformed input is an error, never a crash: not gzip,
// a damaged header or body, a truncated stream, trailing junk, and a small stream that
// would expand past the bound (a "zip bomb").
#include "protocol/Gzip.h"
#include "support/TestMain.h"

#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTest>

using sb::protocol::Gzip;

namespace {
QByteArray repetitiveJson(int samples)
{
    QByteArray json = "[";
    for (int i = 0; i < samples; ++i)
        json += R"({"at":"2026-12-06T03:35:)" + QByteArray::number(i % 60)
            + R"(Z","replicas":[{"id":"node-1","state":"ready"}]},)";
    json += "{}]";
    return json;
}
} // namespace

class TestGzip : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrips_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("one byte") << QByteArray("x");
        QTest::newRow("json") << repetitiveJson(5000);
        QByteArray noise(300000, Qt::Uninitialized);
        QRandomGenerator generator(42);
        for (char &c : noise)
            c = char(generator.bounded(256));
        QTest::newRow("incompressible") << noise;
    }
    void roundTrips()
    {
        QFETCH(QByteArray, bytes);
        const QByteArray compressed = Gzip::compress(bytes);
        QVERIFY(Gzip::looksCompressed(compressed));
        QString error;
        const auto back = Gzip::decompress(compressed, 64 << 20, &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(*back, bytes);
    }

    void repetitiveJsonShrinks()
    {
        const QByteArray json = repetitiveJson(5000);
        QVERIFY(Gzip::compress(json).size() * 10 < json.size());
    }

    // What we write is gzip as the gzip tool knows it.
    void gunzipReadsIt()
    {
        const QString gzip = QStandardPaths::findExecutable(QStringLiteral("gzip"));
        QVERIFY2(!gzip.isEmpty(), "gzip is missing (an essential Debian package)");
        const QByteArray json = repetitiveJson(100);
        QProcess process;
        process.start(gzip, { QStringLiteral("-dc") });
        QVERIFY(process.waitForStarted());
        process.write(Gzip::compress(json));
        process.closeWriteChannel();
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(process.exitCode(), 0);
        QCOMPARE(process.readAllStandardOutput(), json);
    }

    void concatenatedMembersAreOneStream()
    {
        QString error;
        const auto both = Gzip::decompress(Gzip::compress("first ") + Gzip::compress("second"), 1024, &error);
        QVERIFY2(both, qPrintable(error));
        QCOMPARE(*both, QByteArray("first second"));
    }

    void malformedInputIsAnError_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("mentions");
        const QByteArray good = Gzip::compress(repetitiveJson(200));
        QTest::newRow("empty") << QByteArray() << QStringLiteral("not gzip");
        QTest::newRow("json") << QByteArray("{\"format\":1}") << QStringLiteral("not gzip");
        QTest::newRow("magic only") << QByteArray("\x1f\x8b") << QStringLiteral("truncated");
        QByteArray method = good;
        method[2] = 7; // not deflate
        QTest::newRow("unknown method") << method << QStringLiteral("corrupt");
        QTest::newRow("truncated body") << good.left(good.size() / 2) << QStringLiteral("truncated");
        QTest::newRow("no trailer") << good.left(good.size() - 4) << QStringLiteral("truncated");
        QByteArray checksum = good;
        checksum[checksum.size() - 6] = char(checksum.at(checksum.size() - 6) ^ 0x55); // the CRC-32
        QTest::newRow("bad checksum") << checksum << QStringLiteral("corrupt");
        QByteArray body = good;
        for (qsizetype i = 20; i < 60; ++i)
            body[i] = char(0xff);
        QTest::newRow("damaged body") << body << QStringLiteral("corrupt");
        QTest::newRow("trailing junk") << good + QByteArray("junk") << QStringLiteral("corrupt");
    }
    void malformedInputIsAnError()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, mentions);
        QString error;
        QVERIFY(!Gzip::decompress(bytes, 64 << 20, &error));
        QVERIFY2(error.contains(mentions), qPrintable(error));
    }

    // 64 MB of zeros compress to ~64 KB; a bound of 1 MB stops it after a little more than
    // that, with a clear reason.
    void expansionPastTheBoundIsRefused()
    {
        const QByteArray bomb = Gzip::compress(QByteArray(64 << 20, '\0'));
        QVERIFY(bomb.size() < 200 * 1024);
        QString error;
        QVERIFY(!Gzip::decompress(bomb, 1 << 20, &error));
        QVERIFY2(error.contains(QStringLiteral("larger than 1 MB")), qPrintable(error));
        const auto exact = Gzip::decompress(Gzip::compress(QByteArray(1 << 20, 'a')), 1 << 20, &error);
        QVERIFY2(exact && exact->size() == (1 << 20), qPrintable(error)); // the bound itself is allowed
    }
};

SB_TEST_GUILESS_MAIN(TestGzip)
#include "tst_gzip.moc"
