// RecordingSampleTrim: a recording sample keeps what the replayed views show. The Traffic
// rows lose their body and headers (the recording's traffic section keeps the frames whole)
// and the area its trace; every other field of a row, of the area and of the other areas
// stays as it was.
#include "models/RecordingSampleTrim.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using sb::models::RecordingSampleTrim;

class TestRecordingSampleTrim : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void trafficRowsKeepTheirColumnsOnly()
    {
        const QJsonObject row { { QStringLiteral("time"), QStringLiteral("03:35:50.335") },
            { QStringLiteral("replica"), QStringLiteral("node-1") },
            { QStringLiteral("command"), QStringLiteral("MESSAGE") },
            { QStringLiteral("destination"), QStringLiteral("/topic/channels.general") },
            { QStringLiteral("messageId"), QStringLiteral("m-1") }, { QStringLiteral("bytes"), 197 },
            { QStringLiteral("headers"),
                QJsonObject { { QStringLiteral("subscription"), QStringLiteral("sub-0") } } },
            { QStringLiteral("body"), QStringLiteral("{\n    \"text\": \"hello\"\n}") } };
        const QJsonObject replicas { { QStringLiteral("rows"),
            QJsonArray { QJsonObject { { QStringLiteral("Replica"), QStringLiteral("node-1") } } } } };
        const QJsonObject state {
            { QStringLiteral("traffic"),
                QJsonObject { { QStringLiteral("rows"), QJsonArray { row, row } },
                    { QStringLiteral("trace"),
                        QJsonObject { { QStringLiteral("messageId"), QStringLiteral("m-1") } } },
                    { QStringLiteral("filter"), QStringLiteral("user=alice") } } },
            { QStringLiteral("replicas"), replicas }
        };

        const QJsonObject trimmed = RecordingSampleTrim::trimmed(state);
        const QJsonObject traffic = trimmed.value(QStringLiteral("traffic")).toObject();
        const QJsonArray rows = traffic.value(QStringLiteral("rows")).toArray();
        QCOMPARE(rows.size(), 2);
        QJsonObject expected = row;
        expected.remove(QStringLiteral("headers"));
        expected.remove(QStringLiteral("body"));
        QCOMPARE(rows.at(0).toObject(), expected);
        QCOMPARE(rows.at(1).toObject(), expected);
        QVERIFY(!traffic.contains(QStringLiteral("trace")));
        QCOMPARE(traffic.value(QStringLiteral("filter")).toString(), QStringLiteral("user=alice"));
        QCOMPARE(trimmed.value(QStringLiteral("replicas")).toObject(), replicas);
        QVERIFY(QJsonDocument(trimmed).toJson().size() < QJsonDocument(state).toJson().size());
    }

    void aStateWithoutTrafficIsUnchanged()
    {
        const QJsonObject state { { QStringLiteral("replicas"),
                                      QJsonObject { { QStringLiteral("rows"), QJsonArray {} } } },
            { QStringLiteral("traffic"), QStringLiteral("not an object") } };
        QCOMPARE(RecordingSampleTrim::trimmed(state), state);
        QCOMPARE(RecordingSampleTrim::trimmed({}), QJsonObject());
    }
};

QTEST_GUILESS_MAIN(TestRecordingSampleTrim)
#include "tst_recordingsampletrim.moc"
