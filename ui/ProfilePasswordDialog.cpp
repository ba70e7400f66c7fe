#include "ui/ProfilePasswordDialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

namespace sb::ui {

namespace {
QLineEdit *passwordField(const QString &objectName, QWidget *parent)
{
    auto *field = new QLineEdit(parent);
    field->setObjectName(objectName);
    field->setEchoMode(QLineEdit::Password);
    return field;
}
} // namespace

ProfilePasswordDialog::ProfilePasswordDialog(
    const QString &profile, const QString &redisUser, const QString &adminUser, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("profilePasswordPrompt"));
    setWindowTitle(QStringLiteral("Passwords for %1").arg(profile));
    auto *intro = new QLabel(
        QStringLiteral("The profile \"%1\" does not remember these passwords. They are used for this "
                       "attachment only (tick \"Remember\" in File → Profiles… to keep them).")
            .arg(profile),
        this);
    intro->setWordWrap(true);
    auto *form = new QFormLayout;
    if (!redisUser.isEmpty()) {
        m_redis = passwordField(QStringLiteral("redisPasswordInput"), this);
        form->addRow(QStringLiteral("Redis password for %1").arg(redisUser), m_redis);
    }
    if (!adminUser.isEmpty()) {
        m_admin = passwordField(QStringLiteral("adminPasswordInput"), this);
        form->addRow(QStringLiteral("Admin password for %1").arg(adminUser), m_admin);
    }
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(buttons);
}

QString ProfilePasswordDialog::redisPassword() const
{
    return m_redis ? m_redis->text() : QString();
}

QString ProfilePasswordDialog::adminPassword() const
{
    return m_admin ? m_admin->text() : QString();
}

} // namespace sb::ui
