#pragma once

#include "models/ProfileStore.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;

namespace sb::ui {

// Edits saved cluster profiles and attaches the console to one.
class ProfilesDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ProfilesDialog(models::ProfileStore *store, QWidget *parent = nullptr);

signals:
    void attachRequested(const QString &profileName);

private:
    void reloadList(const QString &select = {});
    void showProfile(const QString &name);
    models::Profile profileFromForm() const;
    bool saveForm();
    void removeSelected();

    models::ProfileStore *m_store;
    QListWidget *m_list = nullptr;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_redisUrl = nullptr;
    QLineEdit *m_redisPassword = nullptr;
    QCheckBox *m_remember = nullptr;
    QLineEdit *m_kafka = nullptr;
    QPlainTextEdit *m_kafkaProperties = nullptr;
    QLineEdit *m_kafkaGroups = nullptr;
    QCheckBox *m_useRegistry = nullptr;
    QPlainTextEdit *m_prometheus = nullptr;
    QLineEdit *m_metric = nullptr;
    QLineEdit *m_adminUser = nullptr;
    QLineEdit *m_adminPassword = nullptr;
    QPlainTextEdit *m_adminStats = nullptr;
    QCheckBox *m_readOnly = nullptr;
    QLabel *m_error = nullptr;
};

} // namespace sb::ui
