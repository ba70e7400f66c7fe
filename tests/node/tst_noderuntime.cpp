// How a real `switchboard node` runs, as its start-up line says: the listen backlog it asked
// the kernel for (--limit-listen-backlog, default 4096, not QTcpServer's 50, which made 1,000
// clients connecting at once wait for SYN retries), and Qt's Unix event dispatcher rather
// than glib's (QT_NO_GLIB set by the node itself; an operator's own QT_NO_GLIB, even empty,
// is left alone). docs/operations.md, docs/benchmarks.md "Tuning the hot path".

#include "NodeTestSupport.h"
#include "support/TestMain.h"

#include <QTest>

using sb::testing::NodeProcess;

class TestNodeRuntime : public QObject
{
    Q_OBJECT
private slots:
    void cleanup() { qunsetenv("QT_NO_GLIB"); }

    void unixDispatcherAndDefaultBacklog()
    {
        qunsetenv("QT_NO_GLIB");
        NodeProcess node;
        QVERIFY2(node.start(), qPrintable(node.errorString()));
        QTRY_VERIFY_WITH_TIMEOUT(node.standardError().contains("event dispatcher"), 5000);
        const QByteArray log = node.standardError();
        QVERIFY2(log.contains("listen backlog 4096, event dispatcher QEventDispatcherUNIX"), log.constData());
    }

    void operatorsChoiceAndBacklogOption()
    {
        qputenv("QT_NO_GLIB", ""); // set, empty: glib's dispatcher, as Qt reads it
        NodeProcess node;
        QVERIFY2(node.start({ QStringLiteral("--limit-listen-backlog"), QStringLiteral("123") }),
            qPrintable(node.errorString()));
        QTRY_VERIFY_WITH_TIMEOUT(node.standardError().contains("event dispatcher"), 5000);
        const QByteArray log = node.standardError();
        QVERIFY2(log.contains("listen backlog 123, event dispatcher QEventDispatcherGlib"), log.constData());
    }
};

SB_TEST_GUILESS_MAIN(TestNodeRuntime)
#include "tst_noderuntime.moc"
