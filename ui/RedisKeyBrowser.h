#pragma once

#include "inspect/RedisActionResult.h"
#include "inspect/RedisNotificationState.h"
#include "inspect/RedisScanProgress.h"
#include "inspect/RedisValuePage.h"
#include "ui/SnapshotSource.h"

#include <QJsonArray>
#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QSplitter;
class QPushButton;
class QTableView;
class QTimer;

namespace sb::models {
class RedisKeyModel;
}

namespace sb::ui {

class RedisValueView;

// The Keys tab: a MATCH pattern and scan controls, progress "scanned N of DBSIZE", the
// key table (TTL counting down once a second for the rows on screen) and the value
// viewer (in a narrow area, folded away until a key is selected), and Delete / Expire /
// Persist behind a confirmation (absent in read-only).
// It never talks to Redis: it asks through signals and is told through slots, so the
// assembly decides which worker does the work.
class RedisKeyBrowser : public QWidget
{
    Q_OBJECT

public:
    static constexpr qint64 PageKeys = 10000; // what Scan and "Scan more" each add

    RedisKeyBrowser(models::RedisKeyModel *model, bool readOnly, QWidget *parent = nullptr);

    void setProgress(const inspect::RedisScanProgress &progress);
    void setNotificationState(const inspect::RedisNotificationState &state);
    void showValuePage(const inspect::RedisValuePage &page);
    void showActionResult(const inspect::RedisActionResult &result);

    const inspect::RedisScanProgress &progress() const { return m_progress; }
    const inspect::RedisNotificationState &notificationState() const { return m_notifications; }
    QString pattern() const;
    bool isReadOnly() const { return m_readOnly; }
    QTableView *table() const { return m_table; }
    RedisValueView *valueView() const { return m_valueView; }
    // Rows in the viewport as displayed: [first, last], or (-1, -1) when none.
    QPair<int, int> visibleRows() const;
    // Every row the user can scroll to, as displayed, the first `maxRows` (state.json's and a
    // recording sample's cap), not only the ones on screen.
    QJsonArray rowsJson(int maxRows = kSnapshotTableRows) const;

    void startScan();
    void requestDelete();
    void requestExpire();
    void requestPersist();

Q_SIGNALS:
    void scanRequested(const QByteArray &pattern, qint64 budget);
    void pauseRequested(bool paused);
    void scanMoreRequested(qint64 keys);
    void scanAllRequested();
    void memoryUsageToggled(bool enabled);
    void refreshRequested(const QList<QByteArray> &keys);
    void valueRequested(const sb::inspect::RedisValueRequest &request);
    void deleteRequested(const QByteArray &key);
    void expireRequested(const QByteArray &key, qint64 seconds);
    void persistRequested(const QByteArray &key);
    void notificationsCheckRequested();

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    // Narrower than this, the value viewer stays folded away until a key is selected: beside
    // the keys it would leave the key column a few characters wide.
    static constexpr int kSideBySideMinWidth = 760;
    void unfoldValueView();

    void buildControls();
    void onCurrentRowChanged();
    void tick();
    void updateButtons();
    QByteArray currentKey() const;
    void confirm(const QString &question, const QString &actionText, std::function<void()> onYes);

    models::RedisKeyModel *m_model;
    const bool m_readOnly;
    inspect::RedisScanProgress m_progress;
    inspect::RedisNotificationState m_notifications;
    int m_ticks = 0;
    QLineEdit *m_pattern = nullptr;
    QPushButton *m_scan = nullptr;
    QPushButton *m_pause = nullptr;
    QPushButton *m_more = nullptr;
    QPushButton *m_all = nullptr;
    QCheckBox *m_memory = nullptr;
    QProgressBar *m_bar = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_notificationLabel = nullptr;
    QPushButton *m_recheck = nullptr;
    QTableView *m_table = nullptr;
    QSplitter *m_splitter = nullptr; // keys | value
    bool m_narrow = false;
    RedisValueView *m_valueView = nullptr;
    QPushButton *m_delete = nullptr;
    QPushButton *m_expire = nullptr;
    QPushButton *m_persist = nullptr;
    QLabel *m_actionLabel = nullptr;
    QTimer *m_ttlTimer = nullptr;
};

} // namespace sb::ui
