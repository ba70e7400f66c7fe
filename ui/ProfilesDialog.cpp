#include "ui/ProfilesDialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTreeWidget>

namespace sb::ui {

namespace {
QStringList lines(const QPlainTextEdit *edit)
{
    QStringList result;
    for (const QString &line : edit->toPlainText().split(u'\n'))
        if (!line.trimmed().isEmpty())
            result << line.trimmed();
    return result;
}

QPlainTextEdit *smallEditor(QWidget *parent, const QString &placeholder)
{
    auto *edit = new QPlainTextEdit(parent);
    edit->setPlaceholderText(placeholder);
    edit->setMaximumHeight(70);
    edit->setTabChangesFocus(true);
    return edit;
}
} // namespace

ProfilesDialog::ProfilesDialog(models::ProfileStore *store, QWidget *parent)
    : QDialog(parent)
    , m_store(store)
{
    setWindowTitle(QStringLiteral("Cluster Profiles"));
    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("profileList"));
    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("profileName"));
    m_redisUrl = new QLineEdit(this);
    m_redisUrl->setObjectName(QStringLiteral("profileRedisUrl"));
    m_redisUrl->setPlaceholderText(QStringLiteral("redis://user@host:6379/0"));
    m_redisUrl->setToolTip(
        QStringLiteral("redis://[user@]host[:port][/db]; an ACL user's password goes in the field below "
                       "(one typed into the URL is moved there when saved)"));
    m_redisPassword = new QLineEdit(this);
    m_redisPassword->setObjectName(QStringLiteral("profileRedisPassword"));
    m_redisPassword->setEchoMode(QLineEdit::Password);
    m_remember = new QCheckBox(QStringLiteral("Remember (stored in a file only you can read)"), this);
    m_kafka = new QLineEdit(this);
    m_kafka->setObjectName(QStringLiteral("profileKafkaBootstrap"));
    m_kafka->setPlaceholderText(QStringLiteral("broker1:9092,broker2:9092"));
    m_kafkaProperties = smallEditor(this, QStringLiteral("security.protocol=SASL_SSL\nsasl.mechanism=PLAIN"));
    m_kafkaGroups = new QLineEdit(this);
    m_kafkaGroups->setPlaceholderText(QStringLiteral("groups to watch if the broker cannot list them"));
    m_useRegistry = new QCheckBox(QStringLiteral("Discover replicas from sb:node:* in Redis"), this);
    m_prometheus = smallEditor(this, QStringLiteral("http://app-1:8080/actuator/prometheus"));
    m_metric = new QLineEdit(this);
    m_adminStats = smallEditor(this, QStringLiteral("http://replica-1:8080/admin/stats"));
    m_adminUser = new QLineEdit(this);
    m_adminUser->setObjectName(QStringLiteral("profileAdminUser"));
    m_adminUser->setPlaceholderText(QStringLiteral("an admin of the replicas (ROLE_ADMIN)"));
    m_adminUser->setToolTip(
        QStringLiteral("Logs in at each replica to read /admin/stats and its traffic tap (/admin/tap)"));
    m_adminPassword = new QLineEdit(this);
    m_adminPassword->setObjectName(QStringLiteral("profileAdminPassword"));
    m_adminPassword->setEchoMode(QLineEdit::Password);
    m_adminPassword->setToolTip(
        QStringLiteral("Kept on disk only with \"Remember\" ticked, in the owner-only secrets file"));
    m_faultControl = new QLineEdit(this);
    m_faultControl->setObjectName(QStringLiteral("profileFaultControlUrl"));
    m_faultControl->setPlaceholderText(
        QStringLiteral("http://127.0.0.1:PORT (a devcluster's control endpoint)"));
    m_faultControl->setToolTip(QStringLiteral(
        "The \"control\" URL of `switchboard devcluster`'s ready line: the Faults panel then kills, drains, "
        "poisons… on that devcluster and shows its event log. Loopback only (127.0.0.1 or [::1]): whoever "
        "reaches the endpoint can kill the cluster's processes. Empty: no faults. A read-only profile "
        "never sends one."));
    m_readOnly = new QCheckBox(QStringLiteral("Read-only (no delete, expire, persist or fault)"), this);
    m_error = new QLabel(this);
    m_error->setStyleSheet(QStringLiteral("color: #c62828"));
    m_error->setWordWrap(true);
    m_testResults = new QTreeWidget(this);
    m_testResults->setObjectName(QStringLiteral("connectionTestResults"));
    m_testResults->setHeaderLabels(
        { QStringLiteral("Part"), QStringLiteral("Result"), QStringLiteral("Detail") });
    m_testResults->setRootIsDecorated(false);
    m_testResults->setMaximumHeight(130);
    m_testResults->hide(); // until the first test

    auto *form = new QFormLayout;
    form->addRow(QStringLiteral("Name"), m_name);
    form->addRow(QStringLiteral("Redis URL"), m_redisUrl);
    form->addRow(QStringLiteral("Redis password"), m_redisPassword);
    form->addRow(QString(), m_remember);
    form->addRow(QStringLiteral("Kafka bootstrap"), m_kafka);
    form->addRow(QStringLiteral("Kafka properties"), m_kafkaProperties);
    form->addRow(QStringLiteral("Kafka groups"), m_kafkaGroups);
    form->addRow(QString(), m_useRegistry);
    form->addRow(QStringLiteral("Prometheus endpoints"), m_prometheus);
    form->addRow(QStringLiteral("Connection metric"), m_metric);
    form->addRow(QStringLiteral("/admin/stats URLs"), m_adminStats);
    form->addRow(QStringLiteral("Admin user"), m_adminUser);
    form->addRow(QStringLiteral("Admin password"), m_adminPassword);
    form->addRow(QStringLiteral("Fault control URL"), m_faultControl);
    form->addRow(QString(), m_readOnly);
    form->addRow(m_error);

    auto *buttons = new QDialogButtonBox(this);
    QPushButton *add = buttons->addButton(QStringLiteral("&New"), QDialogButtonBox::ActionRole);
    QPushButton *remove = buttons->addButton(QStringLiteral("&Delete"), QDialogButtonBox::ActionRole);
    QPushButton *test = buttons->addButton(QStringLiteral("&Test connection"), QDialogButtonBox::ActionRole);
    test->setObjectName(QStringLiteral("testConnectionButton"));
    test->setToolTip(QStringLiteral(
        "Check Redis, Kafka and each replica URL of the profile as edited (nothing is saved)"));
    QPushButton *save = buttons->addButton(QStringLiteral("&Save"), QDialogButtonBox::ApplyRole);
    QPushButton *attach = buttons->addButton(QStringLiteral("&Attach"), QDialogButtonBox::AcceptRole);
    attach->setToolTip(QStringLiteral("Save this profile and attach the console to it"));
    buttons->addButton(QDialogButtonBox::Close);
    connect(add, &QPushButton::clicked, this, [this] {
        m_list->clearSelection();
        showProfile(QString());
        m_name->setFocus();
    });
    connect(remove, &QPushButton::clicked, this, &ProfilesDialog::removeSelected);
    connect(test, &QPushButton::clicked, this, &ProfilesDialog::requestTest);
    connect(save, &QPushButton::clicked, this, &ProfilesDialog::saveForm);
    connect(attach, &QPushButton::clicked, this, [this] {
        if (saveForm()) {
            emit attachRequested(m_name->text().trimmed());
            accept();
        }
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_list, &QListWidget::currentTextChanged, this, &ProfilesDialog::showProfile);
    // Said as the field is left, not only when saving: it is the field that can kill processes.
    connect(m_faultControl, &QLineEdit::editingFinished, this, [this] {
        const QString error = models::Profile::faultControlUrlError(m_faultControl->text().trimmed());
        if (!error.isEmpty())
            m_error->setText(error);
    });

    auto *columns = new QHBoxLayout;
    columns->addWidget(m_list, 1);
    columns->addLayout(form, 3);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(columns);
    layout->addWidget(m_testResults);
    layout->addWidget(buttons);
    reloadList();
    if (m_list->count() == 0)
        showProfile(QString());
    resize(860, 560);
}

void ProfilesDialog::reloadList(const QString &select)
{
    m_list->clear();
    m_list->addItems(m_store->names());
    const auto matches = m_list->findItems(select, Qt::MatchExactly);
    if (!matches.isEmpty())
        m_list->setCurrentItem(matches.first());
    else if (m_list->count() > 0)
        m_list->setCurrentRow(0);
}

void ProfilesDialog::showProfile(const QString &name)
{
    const models::Profile p = m_store->load(name).value_or(models::Profile {});
    m_name->setText(p.name);
    m_redisUrl->setText(p.redisUrl);
    m_redisPassword->setText(p.redisPassword);
    m_remember->setChecked(p.rememberPassword);
    m_kafka->setText(p.kafkaBootstrap);
    m_kafkaProperties->setPlainText(p.kafkaProperties.join(u'\n'));
    m_kafkaGroups->setText(p.kafkaGroups.join(QStringLiteral(", ")));
    m_useRegistry->setChecked(p.useRegistry);
    m_prometheus->setPlainText(p.prometheusEndpoints.join(u'\n'));
    m_metric->setText(p.connectionMetric);
    m_adminStats->setPlainText(p.adminStatsUrls.join(u'\n'));
    m_adminUser->setText(p.adminUser);
    m_adminPassword->setText(p.adminPassword);
    m_faultControl->setText(p.faultControlUrl);
    m_readOnly->setChecked(p.readOnly);
    m_error->clear();
    clearTestResults(); // they were about another profile
    m_testResults->hide();
}

models::Profile ProfilesDialog::profileFromForm() const
{
    models::Profile p;
    p.name = m_name->text().trimmed();
    p.redisUrl = m_redisUrl->text().trimmed();
    p.redisPassword = m_redisPassword->text();
    p.rememberPassword = m_remember->isChecked();
    p.kafkaBootstrap = m_kafka->text().trimmed();
    p.kafkaProperties = lines(m_kafkaProperties);
    for (const QString &group : m_kafkaGroups->text().split(u',', Qt::SkipEmptyParts))
        p.kafkaGroups << group.trimmed();
    p.useRegistry = m_useRegistry->isChecked();
    p.prometheusEndpoints = lines(m_prometheus);
    p.connectionMetric = m_metric->text().trimmed();
    p.adminStatsUrls = lines(m_adminStats);
    p.adminUser = m_adminUser->text().trimmed();
    p.adminPassword = m_adminPassword->text();
    p.faultControlUrl = m_faultControl->text().trimmed();
    p.readOnly = m_readOnly->isChecked();
    return p;
}

bool ProfilesDialog::saveForm()
{
    models::Profile p = profileFromForm();
    // Its alert thresholds are edited in the Alerts panel, not in this form: keep the saved ones.
    if (const auto saved = m_store->load(p.name))
        p.alerts = saved->alerts;
    QString error;
    if (!m_store->save(p, &error)) {
        m_error->setText(error);
        return false;
    }
    m_error->clear();
    reloadList(p.name);
    return true;
}

void ProfilesDialog::requestTest()
{
    const models::Profile p = profileFromForm();
    models::Profile named = p; // a profile may be tested before it has a name
    if (named.name.trimmed().isEmpty())
        named.name = QStringLiteral("unsaved");
    if (const QString invalid = named.validationError(); !invalid.isEmpty()) {
        m_error->setText(invalid);
        return;
    }
    m_error->clear();
    m_testResults->show();
    emit connectionTestRequested(p);
    if (m_testResults->topLevelItemCount() == 0)
        setTestResult(QStringLiteral("Profile"), QStringLiteral("failed"),
            QStringLiteral("nothing to test: no Redis, Kafka or replica URL"));
}

void ProfilesDialog::clearTestResults()
{
    m_testResults->clear();
}

void ProfilesDialog::setTestResult(const QString &part, const QString &result, const QString &detail)
{
    QTreeWidgetItem *row = nullptr;
    for (int i = 0; i < m_testResults->topLevelItemCount() && !row; ++i)
        if (m_testResults->topLevelItem(i)->text(0) == part)
            row = m_testResults->topLevelItem(i);
    if (!row)
        row = new QTreeWidgetItem(m_testResults, { part });
    row->setText(1, result);
    row->setText(2, detail);
    row->setToolTip(2, detail);
    const QColor colour = result == u"OK" ? QColor(0x2e, 0x7d, 0x32)
        : result == u"failed"             ? QColor(0xc6, 0x28, 0x28)
                                          : QColor();
    row->setForeground(1, colour.isValid() ? QBrush(colour) : QBrush());
    m_testResults->resizeColumnToContents(0);
    m_testResults->resizeColumnToContents(1);
}

void ProfilesDialog::removeSelected()
{
    const QListWidgetItem *item = m_list->currentItem();
    if (!item)
        return;
    const QString name = item->text();
    if (QMessageBox::question(
            this, QStringLiteral("Delete profile"), QStringLiteral("Delete the profile '%1'?").arg(name))
        != QMessageBox::Yes)
        return;
    m_store->remove(name);
    reloadList();
}

} // namespace sb::ui
