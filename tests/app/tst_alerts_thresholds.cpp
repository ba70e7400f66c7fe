// Thresholds edited in the Alerts panel (issue 13: "thresholds editable per profile"): kept
// with the attached profile, or for the demo in the settings, and used from the next
// evaluation on. No devcluster needed; it runs in tst_alerts_devcluster's executable so as
// to cost no executable of its own (declared in AlertsDevClusterTest.h).
#include "AlertsDevClusterTest.h"
#include "models/Profile.h"

#include <QSettings>
#include <QTest>

using namespace sb;
using namespace Qt::StringLiterals;

void TestAlertsDevCluster::editedThresholdsAreKeptWithTheProfileOrForTheDemo()
{
    QSettings().remove(u"alerts/demoThresholds"_s);
    models::Profile profile;
    profile.name = u"thresholds"_s;
    profile.redisUrl = u"redis://127.0.0.1:6379/0"_s;
    QString error;
    QVERIFY2(m_fixture.profiles()->save(profile, &error), qPrintable(error));

    models::AttachmentState attachment;
    app::ConsoleAlerts alerts(&attachment, m_fixture.profiles());
    alerts.restart(u"thresholds"_s, profile.alerts);
    models::AlertThresholds edited;
    edited.imbalanceRaise = 2.5;
    edited.clearAfterSeconds = 20;
    QVERIFY2(alerts.saveThresholds(edited, &error), qPrintable(error));
    QCOMPARE(alerts.engine().thresholds(), edited);
    QCOMPARE(m_fixture.profiles()->load(u"thresholds"_s)->alerts, edited);
    QVERIFY(app::ConsoleAlerts::demoThresholds() != edited); // the profile's, not the demo's

    // The demo (no profile): kept in the settings, read back by the next demo.
    alerts.restart({}, models::AlertThresholds {});
    edited.drainGraceSeconds = 90;
    QVERIFY2(alerts.saveThresholds(edited, &error), qPrintable(error));
    QCOMPARE(app::ConsoleAlerts::demoThresholds(), edited);
    QVERIFY(m_fixture.profiles()->load(u"thresholds"_s)->alerts != edited);

    // A profile removed meanwhile: said, and the thresholds still apply until the console closes.
    alerts.restart(u"gone"_s, models::AlertThresholds {});
    QVERIFY(!alerts.saveThresholds(edited, &error));
    QVERIFY2(error.contains(u"'gone' no longer exists"_s), qPrintable(error));
    QCOMPARE(alerts.engine().thresholds(), edited);
    QSettings().remove(u"alerts/demoThresholds"_s); // the demo's defaults for the scenarios after
}
