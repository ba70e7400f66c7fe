#pragma once

#include "inspect/SseProbeSettings.h"
#include "inspect/StompProbeSettings.h"

#include <QDateTime>
#include <QObject>
#include <QStringList>

#include <functional>

class QAction;
class QMenu;
class QWidget;

namespace sb::ui {

// The Traffic area's "Capture" menu: open, save or export a capture, clear it, size its
// buffer, and start or stop the extra sources (Redis pub/sub monitor, Kafka tail, probe
// client), each behind the dialog that asks what it needs. It only asks; the assembly acts
// on its signals. Its actions belong to `area` (shortcuts scoped to it).
class TrafficCaptureMenu : public QObject
{
    Q_OBJECT
public:
    // `bufferCapacity` gives the capacity the buffer-size dialog starts from.
    TrafficCaptureMenu(QWidget *area, std::function<qsizetype()> bufferCapacity);

    QMenu *menu() const { return m_menu; }
    // What the dialogs offer first (set from the cluster: its topics and its bus pattern).
    void setSuggestions(const QStringList &kafkaTopics, const QString &redisPattern);

signals:
    void openCaptureRequested(const QString &path);
    void saveCaptureRequested(const QString &path, bool shownOnly);
    void clearRequested();
    void bufferCapacityRequested(qsizetype frames);
    void redisMonitorRequested(const QString &pattern); // empty: stop it
    void kafkaTailRequested(
        const QStringList &topics, int startFrom, qint64 offset, const QDateTime &time); // no topics: stop
    void stompProbeRequested(const sb::inspect::StompProbeSettings &settings);
    void sseProbeRequested(const sb::inspect::SseProbeSettings &settings);
    void probeSendRequested(const QString &destination, const QByteArray &body);
    void probeStopRequested();

private:
    QAction *add(
        const QString &text, const QKeySequence &keys, const QString &tip, const std::function<void()> &slot);
    void chooseOpenFile();
    void chooseSaveFile(bool shownOnly);
    void chooseCapacity();
    void chooseRedisPattern();
    void chooseKafkaTail();
    void chooseProbe();
    void chooseProbeSend();

    QWidget *m_area;
    std::function<qsizetype()> m_bufferCapacity;
    QMenu *m_menu;
    QStringList m_suggestedTopics;
    QString m_suggestedPattern;
};

} // namespace sb::ui
