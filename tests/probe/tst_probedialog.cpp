// ProbeDialog offscreen: validation as the user types (the settings' own sentences), rows
// for one kind only, the header table, keyboard use, and the settings it emits.
#include "support/TestMain.h"
#include "ui/ProbeDialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>

using sb::ui::ProbeDialog;
using namespace Qt::StringLiterals;

namespace {

template<typename T> T *probeWidget(ProbeDialog &dialog, const char *name)
{
    T *widget = dialog.findChild<T *>(QString::fromLatin1(name));
    if (!widget)
        qFatal("no %s", name);
    return widget;
}

QPushButton *probeButton(ProbeDialog &dialog, const QString &text)
{
    for (QPushButton *button : dialog.findChildren<QPushButton *>())
        if (button->text() == text)
            return button;
    return nullptr;
}

} // namespace

class TestProbeDialog : public QObject
{
    Q_OBJECT

private slots:
    void startsDisabledAndSaysWhy();
    void stompSettingsFromTheForm();
    void headerRowWithoutName();
    void sseRowsAndEnterAccepts();
    void fillFromSettings();
    void everyFieldIsLabelledAndExplained();
};

void TestProbeDialog::startsDisabledAndSaysWhy()
{
    ProbeDialog dialog;
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QPushButton *start = probeButton(dialog, u"&Start probe"_s);
    QVERIFY(start);
    QVERIFY(!start->isEnabled());
    auto *problem = dialog.findChild<QLabel *>(u"probeProblem"_s);
    QVERIFY(problem->isVisible());
    QVERIFY2(problem->text().startsWith(u"Enter the endpoint's URL"_s), qPrintable(problem->text()));

    auto *url = probeWidget<QLineEdit>(dialog, "probeUrl");
    QTest::keyClicks(url, u"http://127.0.0.1:8080/stomp"_s);
    QVERIFY2(problem->text().contains(u"tick SockJS"_s), qPrintable(problem->text()));
    QVERIFY(!start->isEnabled());
    probeWidget<QCheckBox>(dialog, "probeSockJs")->setChecked(true);
    QVERIFY(problem->text().isEmpty());
    QVERIFY(!problem->isVisible());
    QVERIFY(start->isEnabled());
    QCOMPARE(url->placeholderText(), u"http://127.0.0.1:8080/stomp"_s);
}

void TestProbeDialog::stompSettingsFromTheForm()
{
    ProbeDialog dialog;
    QSignalSpy requested(&dialog, &ProbeDialog::stompProbeRequested);
    QSignalSpy sseRequested(&dialog, &ProbeDialog::sseProbeRequested);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowActive(&dialog));
    QTest::keyClicks(probeWidget<QLineEdit>(dialog, "probeUrl"), u"ws://127.0.0.1:1234/ws"_s);
    auto *table = probeWidget<QTableWidget>(dialog, "probeHeaders");
    // Add header opens the new row's name for typing; Return ends it.
    const auto addHeader = [&](const QString &name, const QString &value) {
        QTest::mouseClick(probeButton(dialog, u"A&dd header"_s), Qt::LeftButton);
        const int row = table->rowCount() - 1;
        QCOMPARE(table->currentRow(), row);
        QCOMPARE(table->currentColumn(), 0);
        QWidget *editor = QApplication::focusWidget();
        QVERIFY(editor && table->isAncestorOf(editor));
        QTest::keyClicks(editor, name);
        QTest::keyClick(editor, Qt::Key_Return);
        QTRY_COMPARE(table->item(row, 0)->text(), name); // the delegate commits on Return, queued
        table->item(row, 1)->setText(value);
    };
    addHeader(u"Authorization"_s, u"Bearer abc"_s);
    addHeader(u"heart-beat"_s, u"1000,1000"_s);
    QCOMPARE(table->rowCount(), 2);
    QVERIFY(dialog.isVisible()); // Return went to the editor, not to the Start button
    auto *subprotocols = probeWidget<QLineEdit>(dialog, "probeSubprotocols");
    subprotocols->setText(u"v12.stomp"_s);
    probeWidget<QPlainTextEdit>(dialog, "probeSubscriptions")
        ->setPlainText(u"/topic/channels.general\n\n  /user/queue/notifications \n"_s);

    QVERIFY2(dialog.problem().isEmpty(), qPrintable(dialog.problem()));
    QTest::mouseClick(probeButton(dialog, u"&Start probe"_s), Qt::LeftButton);
    QCOMPARE(requested.size(), 1);
    QCOMPARE(sseRequested.size(), 0);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    const auto settings = requested.at(0).at(0).value<sb::inspect::StompProbeSettings>();
    QCOMPARE(settings.url, QUrl(u"ws://127.0.0.1:1234/ws"_s));
    QVERIFY(!settings.sockJs);
    QCOMPARE(settings.connectHeaders,
        (sb::inspect::ProbeHeaders {
            { u"Authorization"_s, u"Bearer abc"_s }, { u"heart-beat"_s, u"1000,1000"_s } }));
    QCOMPARE(settings.subprotocols, QStringList { u"v12.stomp"_s });
    QCOMPARE(settings.subscriptions,
        (QStringList { u"/topic/channels.general"_s, u"/user/queue/notifications"_s }));
}

void TestProbeDialog::headerRowWithoutName()
{
    ProbeDialog dialog;
    dialog.show();
    QTest::keyClicks(probeWidget<QLineEdit>(dialog, "probeUrl"), u"ws://h/ws"_s);
    QTest::mouseClick(probeButton(dialog, u"A&dd header"_s), Qt::LeftButton);
    auto *table = probeWidget<QTableWidget>(dialog, "probeHeaders");
    table->item(0, 1)->setText(u"orphan value"_s);
    QCOMPARE(dialog.problem(), u"header row 1 has a value but no name"_s);
    QVERIFY(!probeButton(dialog, u"&Start probe"_s)->isEnabled());
    table->item(0, 0)->setText(u"bad:name"_s);
    QVERIFY2(dialog.problem().contains(u"holds a ':'"_s), qPrintable(dialog.problem()));
    table->setCurrentCell(0, 0);
    QTest::mouseClick(probeButton(dialog, u"&Remove header"_s), Qt::LeftButton);
    QCOMPARE(table->rowCount(), 0);
    QVERIFY(dialog.problem().isEmpty());
    QVERIFY(!probeButton(dialog, u"&Remove header"_s)->isEnabled());
    // A heart-beat the client could not parse is caught here, in the client's words.
    QTest::mouseClick(probeButton(dialog, u"A&dd header"_s), Qt::LeftButton);
    table->item(0, 0)->setText(u"heart-beat"_s);
    table->item(0, 1)->setText(u"often"_s);
    QVERIFY2(dialog.problem().startsWith(u"Heart-beat 'often'"_s), qPrintable(dialog.problem()));
}

void TestProbeDialog::sseRowsAndEnterAccepts()
{
    ProbeDialog dialog;
    QSignalSpy requested(&dialog, &ProbeDialog::sseProbeRequested);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *kind = probeWidget<QComboBox>(dialog, "probeKind");
    kind->setCurrentIndex(1);
    QCOMPARE(dialog.kind(), ProbeDialog::Kind::Sse);
    auto *sockJs = probeWidget<QCheckBox>(dialog, "probeSockJs");
    auto *lastEventId = probeWidget<QLineEdit>(dialog, "probeLastEventId");
    QVERIFY(!sockJs->isVisible());
    QVERIFY(lastEventId->isVisible());
    QVERIFY(!probeWidget<QPlainTextEdit>(dialog, "probeSubscriptions")->isVisible());
    auto *url = probeWidget<QLineEdit>(dialog, "probeUrl");
    QCOMPARE(url->placeholderText(), u"http://127.0.0.1:8080/api/sse"_s);
    url->setText(u"ws://h/api/sse"_s);
    QVERIFY2(dialog.problem().contains(u"http:// or https://"_s), qPrintable(dialog.problem()));
    url->setText(u"http://h:9/api/sse?ticket=t"_s);
    lastEventId->setText(u"17-a"_s);
    url->setFocus();
    QTest::keyClick(url, Qt::Key_Return); // Start is the default button
    QCOMPARE(requested.size(), 1);
    const auto settings = requested.at(0).at(0).value<sb::inspect::SseProbeSettings>();
    QCOMPARE(settings.url, QUrl(u"http://h:9/api/sse?ticket=t"_s));
    QCOMPARE(settings.lastEventId, u"17-a"_s);
}

void TestProbeDialog::fillFromSettings()
{
    sb::inspect::StompProbeSettings stomp;
    stomp.url = QUrl(u"http://app/stomp"_s);
    stomp.sockJs = true;
    stomp.connectHeaders = { { u"login"_s, u"guest"_s } };
    stomp.subprotocols = { u"v11.stomp"_s };
    stomp.subscriptions = { u"/topic/a"_s, u"/topic/b"_s };
    ProbeDialog dialog;
    dialog.setStompSettings(stomp);
    const auto back = dialog.stompSettings();
    QCOMPARE(back.url, stomp.url);
    QCOMPARE(back.sockJs, true);
    QCOMPARE(back.connectHeaders, stomp.connectHeaders);
    QCOMPARE(back.subprotocols, stomp.subprotocols);
    QCOMPARE(back.subscriptions, stomp.subscriptions);
    QVERIFY(dialog.problem().isEmpty());

    sb::inspect::SseProbeSettings sse;
    sse.url = QUrl(u"https://h/api/sse"_s);
    sse.headers = { { u"Cookie"_s, u"a=b"_s } };
    sse.lastEventId = u"9"_s;
    dialog.setSseSettings(sse);
    QCOMPARE(dialog.kind(), ProbeDialog::Kind::Sse);
    QCOMPARE(dialog.sseSettings().url, sse.url);
    QCOMPARE(dialog.sseSettings().headers, sse.headers);
    QCOMPARE(dialog.sseSettings().lastEventId, sse.lastEventId);
}

void TestProbeDialog::everyFieldIsLabelledAndExplained()
{
    ProbeDialog dialog;
    dialog.show();
    QVERIFY(QTest::qWaitForWindowActive(&dialog));
    // Every label with a mnemonic (Alt+letter) leads to its field, and every field says
    // what it takes in a tooltip.
    int mnemonics = 0;
    for (QLabel *label : dialog.findChildren<QLabel *>()) {
        if (!label->text().contains(u'&'))
            continue;
        ++mnemonics;
        QVERIFY2(label->buddy(), qPrintable(label->text()));
        QVERIFY2(!label->buddy()->toolTip().isEmpty(), qPrintable(label->text()));
    }
    QVERIFY(mnemonics >= 6);
    // Alt+U jumps to the URL.
    probeWidget<QLineEdit>(dialog, "probeSubprotocols")->setFocus();
    QTest::keyClick(dialog.windowHandle(), Qt::Key_U, Qt::AltModifier); // through the window: shortcuts apply
    QTRY_COMPARE(QApplication::focusWidget(), probeWidget<QLineEdit>(dialog, "probeUrl"));
}

SB_TEST_MAIN(TestProbeDialog)
#include "tst_probedialog.moc"
