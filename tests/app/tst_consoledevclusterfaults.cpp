// The Faults panel on a profile's devcluster (ConsoleDevClusterFaults over FaultControlClient),
// against a loopback stand-in for the control endpoint that answers as told: a read-only
// profile sends no fault, an unreachable URL is shown as unreachable (and asked less often),
// bad answers (not JSON, too large, a refusal, no answer) are outcomes and never a crash or a
// hang, the endpoint's event log becomes the console's, and a request in flight when the
// profile is left is dropped: its late answer reaches no one. The profile dialog refuses a
// control URL that is not loopback http.
#include "app/ConsoleDevClusterFaults.h"
#include "app/FaultControlClient.h"
#include "app/FaultEventLog.h"
#include "models/Profile.h"
#include "models/ProfileStore.h"
#include "support/TestMain.h"
#include "ui/FaultsPanel.h"
#include "ui/ProfilesDialog.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace sb;
using namespace Qt::StringLiterals;

namespace {

// A control endpoint that answers each request with what the test set for its path (a raw
// HTTP response, or nothing at all: the connection is held open), and counts the requests.
class FakeControlEndpoint : public QObject
{
public:
    FakeControlEndpoint()
    {
        QVERIFY(m_server.listen(QHostAddress::LocalHost, 0));
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            // Each socket is the server's child, gone with it (a held one is looked at after it closed).
            while (QTcpSocket *socket = m_server.nextPendingConnection())
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { read(socket); });
        });
    }

    QString url() const { return u"http://127.0.0.1:%1"_s.arg(m_server.serverPort()); }

    static QByteArray http(int status, const QByteArray &body, const QByteArray &extraHeaders = {})
    {
        return "HTTP/1.1 " + QByteArray::number(status)
            + " X\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size())
            + "\r\n" + extraHeaders + "Connection: close\r\n\r\n" + body;
    }

    QByteArray faultsAnswer = http(200, R"({"ok":true,"message":"SIGKILL sent to node-2","event":1})");
    QByteArray eventsAnswer = http(200, R"({"events":[]})");
    bool holdFaults = false; // a POST /faults is never answered
    int posts = 0;
    int gets = 0;
    QList<QTcpSocket *> held;

private:
    void read(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const qsizetype lengthAt = buffer.toLower().indexOf("content-length:");
        const int length
            = lengthAt < 0 ? 0 : buffer.mid(lengthAt + 15, 12).trimmed().split('\r').first().toInt();
        if (buffer.size() < end + 4 + length)
            return;
        const bool post = buffer.startsWith("POST /faults ");
        m_buffers.remove(socket);
        if (post) {
            ++posts;
            if (holdFaults)
                return held.append(socket);
        } else {
            ++gets;
        }
        socket->write(post ? faultsAnswer : eventsAnswer);
        socket->disconnectFromHost();
    }

    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

models::Profile profileFor(const QString &control, bool readOnly = false)
{
    models::Profile profile;
    profile.name = u"devcluster"_s;
    profile.redisUrl = u"redis://127.0.0.1:1/0"_s;
    profile.faultControlUrl = control;
    profile.readOnly = readOnly;
    return profile;
}

QAction *actionNamed(const ui::FaultsPanel &panel, const QString &text)
{
    for (QAction *action : panel.faultActions())
        if (action->text() == text)
            return action;
    return nullptr;
}

// As ConsoleController::injectFault routes the panel's requests on a profile.
void wire(ui::FaultsPanel &panel, app::ConsoleDevClusterFaults &faults)
{
    QObject::connect(
        &panel, &ui::FaultsPanel::faultRequested, &faults, &app::ConsoleDevClusterFaults::request);
}

QByteArray eventsJson(const QJsonArray &events)
{
    return QJsonDocument(QJsonObject { { u"events"_s, events } }).toJson(QJsonDocument::Compact);
}

QJsonObject controlEvent(int id, const QString &action, const QString &effectState, const QStringList &effect)
{
    return { { u"id"_s, id }, { u"time"_s, u"2026-12-06T12:00:0%1.000Z"_s.arg(id) }, { u"action"_s, action },
        { u"args"_s, QJsonObject { { u"replica"_s, u"node-2"_s } } }, { u"accepted"_s, true },
        { u"outcome"_s, u"SIGKILL sent to node-2"_s }, { u"effectState"_s, effectState },
        { u"effect"_s, QJsonArray::fromStringList(effect) } };
}

} // namespace

class TestConsoleDevClusterFaults : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"switchboard-test"_s);
        QCoreApplication::setApplicationName(u"tst_consoledevclusterfaults"_s);
        QSettings().clear();
    }

    void readOnlyProfileSendsNoFault()
    {
        FakeControlEndpoint endpoint;
        app::FaultEventLog log;
        ui::FaultsPanel panel(&log);
        app::ConsoleDevClusterFaults faults(profileFor(endpoint.url(), true), &panel, &log, nullptr);
        wire(panel, faults);
        QVERIFY2(panel.outcome().contains(u"read-only profile"_s), qPrintable(panel.outcome()));
        for (QAction *action : panel.faultActions())
            QVERIFY2(!action->isEnabled(), qPrintable(action->text()));
        // Asked past the panel (its signal, as a shortcut racing its state would), still refused.
        emit panel.faultRequested(u"kill"_s, { { u"replica"_s, u"node-2"_s } });
        QVERIFY2(panel.outcome().startsWith(u"Refused: read-only profile"_s), qPrintable(panel.outcome()));
        // The event log is still read (a read-only profile watches), and no POST ever went.
        QTRY_VERIFY_WITH_TIMEOUT(endpoint.gets >= 2, 5000);
        QCOMPARE(endpoint.posts, 0);
    }

    void noControlUrlLeavesThePanelOffWithItsReason()
    {
        app::FaultEventLog log;
        ui::FaultsPanel panel(&log);
        app::ConsoleDevClusterFaults faults(profileFor({}), &panel, &log, nullptr);
        wire(panel, faults);
        QVERIFY(!faults.isPolling());
        QVERIFY2(panel.outcome().contains(u"Fault control URL"_s), qPrintable(panel.outcome()));
        QVERIFY(!actionNamed(panel, u"Restart Redis"_s)->isEnabled());
        emit panel.faultRequested(u"restart-redis"_s, {});
        QVERIFY2(panel.outcome().contains(u"no devcluster control URL"_s), qPrintable(panel.outcome()));
    }

    void unreachableEndpointIsShownAndAskedLessOften()
    {
        quint16 port = 0;
        {
            QTcpServer probe; // a port that was free a moment ago, and is closed now
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            port = probe.serverPort();
        }
        app::FaultEventLog log;
        ui::FaultsPanel panel(&log);
        app::ConsoleDevClusterFaults faults(
            profileFor(u"http://127.0.0.1:%1"_s.arg(port)), &panel, &log, nullptr);
        wire(panel, faults);
        QTRY_VERIFY_WITH_TIMEOUT(panel.endpointState().startsWith(u"control endpoint unreachable"_s), 5000);
        QVERIFY2(panel.endpointState().contains(u"again in 2 s"_s), qPrintable(panel.endpointState()));
        QTRY_VERIFY2_WITH_TIMEOUT(
            panel.endpointState().contains(u"again in 4 s"_s), qPrintable(panel.endpointState()), 5000);
        // The actions stay on (it may be back any moment); one asked says it got no answer.
        QVERIFY(actionNamed(panel, u"Restart Redis"_s)->isEnabled());
        actionNamed(panel, u"Restart Redis"_s)->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(
            panel.outcome().startsWith(u"Not done: restart-redis: control endpoint unreachable"_s), 5000);
    }

    void badAnswersAreOutcomes_data()
    {
        QTest::addColumn<QByteArray>("answer");
        QTest::addColumn<QString>("shown");
        QTest::newRow("done") << FakeControlEndpoint::http(
            200, R"({"ok":true,"message":"SIGKILL sent","event":7})")
                              << u"kill: SIGKILL sent (event 7)"_s;
        QTest::newRow("409") << FakeControlEndpoint::http(
            409, R"({"ok":false,"error":"no such replica 'node-2'"})")
                             << u"Refused: kill: no such replica 'node-2'"_s;
        QTest::newRow("400 not JSON")
            << FakeControlEndpoint::http(400, "nonsense") << u"Refused: kill: HTTP 400"_s;
        QTest::newRow("503 busy") << FakeControlEndpoint::http(
            503, R"({"error":"too many control connections"})", "Retry-After: 1\r\n")
                                  << u"Refused: kill: too many control connections"_s;
        QTest::newRow("200 not JSON") << FakeControlEndpoint::http(200, "{\"ok\": tr")
                                      << u"Not done: kill: the control endpoint answered badly"_s;
        QTest::newRow("huge") << FakeControlEndpoint::http(200, QByteArray(5 * 1024 * 1024, 'x'))
                              << u"larger than"_s;
        QTest::newRow("redirect") << QByteArray(
            "HTTP/1.1 307 X\r\nLocation: http://10.0.0.5:1/faults\r\nContent-Length: 0\r\nConnection: "
            "close\r\n\r\n") << u"redirected"_s;
    }
    void badAnswersAreOutcomes()
    {
        QFETCH(QByteArray, answer);
        QFETCH(QString, shown);
        FakeControlEndpoint endpoint;
        endpoint.faultsAnswer = answer;
        app::FaultEventLog log;
        ui::FaultsPanel panel(&log);
        panel.setReplicas({ u"node-2"_s });
        app::ConsoleDevClusterFaults faults(profileFor(endpoint.url()), &panel, &log, nullptr);
        wire(panel, faults);
        QTRY_VERIFY_WITH_TIMEOUT(panel.endpointState().startsWith(u"devcluster at"_s), 5000);
        emit panel.faultRequested(u"kill"_s, { { u"replica"_s, u"node-2"_s } });
        QTRY_VERIFY2_WITH_TIMEOUT(panel.outcome().contains(shown), qPrintable(panel.outcome()), 10000);
    }

    void noAnswerIsATimeoutNotAHang()
    {
        FakeControlEndpoint endpoint;
        endpoint.holdFaults = true;
        app::FaultEventLog log;
        ui::FaultsPanel panel(&log);
        app::ConsoleDevClusterFaults faults(profileFor(endpoint.url()), &panel, &log, nullptr);
        wire(panel, faults);
        QElapsedTimer asked;
        asked.start();
        emit panel.faultRequested(u"restart-redis"_s, {});
        QVERIFY(asked.elapsed() < 100); // sent, not waited for
        QTRY_VERIFY2_WITH_TIMEOUT(panel.outcome().contains(u"no answer within"_s),
            qPrintable(panel.outcome()), app::ConsoleDevClusterFaults::kRequestTimeoutMs + 5000);
    }

    // Another profile attached while a fault is in flight: the old one's answer must not
    // land in the new profile's panel, and leaving does not wait for it.
    void leavingDropsTheAnswerInFlight()
    {
        FakeControlEndpoint endpoint;
        endpoint.holdFaults = true;
        app::FaultEventLog log;
        ui::FaultsPanel panel(&log);
        auto faults = std::make_unique<app::ConsoleDevClusterFaults>(
            profileFor(endpoint.url()), &panel, &log, nullptr);
        wire(panel, *faults);
        emit panel.faultRequested(u"restart-redis"_s, {});
        QTRY_COMPARE_WITH_TIMEOUT(endpoint.held.size(), 1, 5000);
        QElapsedTimer leaving;
        leaving.start();
        faults = std::make_unique<app::ConsoleDevClusterFaults>(profileFor({}), &panel, &log, nullptr);
        QVERIFY2(leaving.elapsed() < 500, qPrintable(QString::number(leaving.elapsed())));
        const QString reason = panel.outcome();
        // The answer comes now, while the old request's connection may still be open: if
        // anything of the old profile were still listening, it would reach the panel.
        QTcpSocket *late = endpoint.held.first();
        late->write(endpoint.faultsAnswer);
        QTRY_COMPARE_WITH_TIMEOUT(late->state(), QAbstractSocket::UnconnectedState, 5000);
        QCoreApplication::processEvents();
        QCOMPARE(panel.outcome(), reason);
        QVERIFY(!panel.outcome().contains(u"SIGKILL"_s));
    }

    // The endpoint's log becomes the console's, row by row: appended, updated in place as a
    // watch sees more, the oldest dropped as the devcluster dropped them; a bad answer keeps
    // what was read last.
    void eventLogIsTheDevclusters()
    {
        FakeControlEndpoint endpoint;
        app::FaultEventLog log;
        log.add(
            u"burst"_s, {}, false, u"from the demo"_s); // the previous attachment's: not this devcluster's
        QAbstractItemModelTester tester(&log, QAbstractItemModelTester::FailureReportingMode::QtTest);
        ui::FaultsPanel panel(&log);
        endpoint.eventsAnswer = FakeControlEndpoint::http(
            200, eventsJson({ controlEvent(1, u"kill"_s, u"watching"_s, { u"+0.1 s: exited"_s }) }));
        app::ConsoleDevClusterFaults faults(profileFor(endpoint.url()), &panel, &log, nullptr);
        wire(panel, faults);
        QTRY_COMPARE_WITH_TIMEOUT(log.rowCount(), 1, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(log.events().first().action, u"kill"_s, 5000);
        QCOMPARE(log.events().first().effectState, app::FaultEventLog::EffectState::Watching);
        QCOMPARE(log.data(log.index(0, app::FaultEventLog::Arguments)).toString(), u"replica=node-2"_s);

        QSignalSpy ended(&log, &app::FaultEventLog::finished);
        endpoint.eventsAnswer = FakeControlEndpoint::http(200,
            eventsJson({ controlEvent(
                             1, u"kill"_s, u"observed"_s, { u"+0.1 s: exited"_s, u"+5.0 s: ready again"_s }),
                controlEvent(2, u"poison"_s, u"watching"_s, {}) }));
        QTRY_COMPARE_WITH_TIMEOUT(log.rowCount(), 2, 5000);
        QCOMPARE(log.events().first().effectState, app::FaultEventLog::EffectState::Observed);
        QCOMPARE(ended.size(), 1);
        QCOMPARE(ended.first().first().toInt(), 1);
        QVERIFY(log.data(log.index(0, app::FaultEventLog::Effect)).toString().contains(u"ready again"_s));
        QCOMPARE(log.toJson().at(1).toObject().value(u"action"_s).toString(),
            u"poison"_s); // state.json's `events`

        endpoint.eventsAnswer
            = FakeControlEndpoint::http(200, eventsJson({ controlEvent(2, u"poison"_s, u"watching"_s, {}) }));
        QTRY_COMPARE_WITH_TIMEOUT(log.rowCount(), 1, 5000);
        QCOMPARE(log.events().first().id, 2);

        endpoint.eventsAnswer = FakeControlEndpoint::http(200, "{\"events\": [");
        QTRY_VERIFY_WITH_TIMEOUT(
            panel.endpointState().startsWith(u"control endpoint answered badly"_s), 5000);
        QCOMPARE(log.rowCount(), 1);
    }

    void dialogRefusesAControlUrlBeyondLoopback()
    {
        models::ProfileStore store(m_dir.filePath(u"secrets.json"_s));
        ui::ProfilesDialog dialog(&store);
        dialog.findChild<QLineEdit *>(u"profileName"_s)->setText(u"lan"_s);
        dialog.findChild<QLineEdit *>(u"profileRedisUrl"_s)->setText(u"redis://127.0.0.1:6379/0"_s);
        auto *control = dialog.findChild<QLineEdit *>(u"profileFaultControlUrl"_s);
        QVERIFY(control);
        QVERIFY(control->toolTip().contains(u"loopback"_s, Qt::CaseInsensitive));
        control->setText(u"http://10.0.0.5:40123"_s);
        QPushButton *save = nullptr;
        for (QPushButton *button : dialog.findChildren<QPushButton *>())
            if (button->text() == u"&Save"_s)
                save = button;
        QVERIFY(save);
        save->click();
        QVERIFY(store.names().isEmpty());
        bool said = false;
        for (QLabel *label : dialog.findChildren<QLabel *>())
            said = said || label->text().contains(u"loopback http URL"_s);
        QVERIFY(said);
        control->setText(u"http://127.0.0.1:40123"_s);
        save->click();
        QCOMPARE(store.load(u"lan"_s)->faultControlUrl, u"http://127.0.0.1:40123"_s);
    }
};

SB_TEST_MAIN(TestConsoleDevClusterFaults)
#include "tst_consoledevclusterfaults.moc"
