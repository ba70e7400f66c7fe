#pragma once

#include <QDialog>

class QLineEdit;

namespace sb::ui {

// Asks for the passwords a profile needs and does not remember (File → Profiles… keeps
// them only with "Remember"): the Redis user's and the replicas' admin's. What is typed is
// used for this attachment only; nothing is stored.
class ProfilePasswordDialog : public QDialog
{
    Q_OBJECT
public:
    // `redisUser` / `adminUser` empty: that password is not asked for.
    ProfilePasswordDialog(const QString &profile, const QString &redisUser, const QString &adminUser,
        QWidget *parent = nullptr);

    QString redisPassword() const;
    QString adminPassword() const;

private:
    QLineEdit *m_redis = nullptr;
    QLineEdit *m_admin = nullptr;
};

} // namespace sb::ui
