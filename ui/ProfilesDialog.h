#pragma once

#include "models/ProfileStore.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QTreeWidget;

namespace sb::ui {

// Edits saved cluster profiles and attaches the console to one. "Test connection" asks
// (connectionTestRequested) for each part of the profile as edited — Redis, Kafka, each
// Prometheus and /admin/stats URL — to be checked, and lists each part's answer as it
// comes (setTestResult); the checking itself is done elsewhere, never in the dialog.
class ProfilesDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ProfilesDialog(models::ProfileStore *store, QWidget *parent = nullptr);

    // One row per part: "checking…", "OK" or "failed", and what was read or what failed.
    void clearTestResults();
    void setTestResult(const QString &part, const QString &result, const QString &detail);

signals:
    void attachRequested(const QString &profileName);
    void connectionTestRequested(const sb::models::Profile &profile);

private:
    void reloadList(const QString &select = {});
    void showProfile(const QString &name);
    models::Profile profileFromForm() const;
    bool saveForm();
    void removeSelected();
    void requestTest();

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
    QLineEdit *m_faultControl = nullptr;
    QCheckBox *m_readOnly = nullptr;
    QLabel *m_error = nullptr;
    QTreeWidget *m_testResults = nullptr;
};

} // namespace sb::ui
