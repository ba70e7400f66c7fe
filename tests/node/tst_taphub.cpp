// TapHub's list of readers: a reader is out of it before it is destroyed, whichever way it
// goes. Publishers on other workers reach listed readers under the hub's lock; a reader
// deleted while still listed (a worker's end deletes its readers as QObject children, not
// through closed() and removeReader) left a pointer that stayed non-null until ~QObject,
// after the reader's mutex and queue were gone: a publish in that window wrote into freed
// memory (issue 12's drain-time abort had that shape: readers attached, sessions closing).
#include "node/TapEvent.h"
#include "node/TapHub.h"
#include "node/TapReader.h"
#include "support/TestMain.h"

#include <QTest>
#include <QWebSocket>

using namespace sb::node;

class TestTapHub : public QObject
{
    Q_OBJECT

private:
    static TapReader *makeReader() { return new TapReader(new QWebSocket, 64, 1 << 20, nullptr); }
    static TapEvent anEvent()
    {
        TapEvent event;
        event.tsMs = 1;
        event.transport = "stomp";
        event.command = "SEND";
        return event;
    }

private slots:
    void aReaderDeletedWhileListedLeavesTheHub()
    {
        TapHub hub(QStringLiteral("node-1"), 1024);
        TapReader *first = makeReader();
        TapReader *second = makeReader();
        hub.addReader(first);
        hub.addReader(second);
        QCOMPARE(hub.readerCount(), 2);
        QVERIFY(hub.isActive());

        delete first; // as a worker's children go at its end: no removeReader first
        QCOMPARE(hub.readerCount(), 1);
        hub.publish(anEvent()); // reaches the one left only (under ASan: no use after free)

        delete second;
        QCOMPARE(hub.readerCount(), 0);
        QVERIFY(!hub.isActive());
    }

    void aReaderRemovedThenDeletedLeavesOnce()
    {
        TapHub hub(QStringLiteral("node-1"), 1024);
        TapReader *reader = makeReader();
        TapReader *other = makeReader();
        hub.addReader(reader);
        hub.addReader(other);
        hub.removeReader(reader); // the closed() path
        QCOMPARE(hub.readerCount(), 1);
        delete reader; // already out: the other stays listed
        QCOMPARE(hub.readerCount(), 1);
        delete other;
        QCOMPARE(hub.readerCount(), 0);
    }
};

SB_TEST_GUILESS_MAIN(TestTapHub)
#include "tst_taphub.moc"
