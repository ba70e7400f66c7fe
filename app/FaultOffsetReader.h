#pragma once

#include "cluster/KafkaSettings.h"

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QString>
#include <QThread>

#include <functional>

namespace sb::app {

class FaultOffsetProbe;

// The fault watches' view of Kafka offsets (a DLT's size, the stage-1 group's lag), asked
// from the GUI thread and answered by callback: the blocking librdkafka queries run in a
// FaultOffsetProbe on a thread of its own, started at the first question.
class FaultOffsetReader : public QObject
{
    Q_OBJECT
public:
    explicit FaultOffsetReader(cluster::KafkaSettings settings, QObject *parent = nullptr);
    ~FaultOffsetReader() override; // waits for a query under way (each gives up after 5 s)

    // `done` gets the sum of `topic`'s log-end offsets, or -1 and why; not called once
    // `context` is gone.
    void readEndOffsets(const QByteArray &topic, QObject *context,
        std::function<void(qint64 total, const QString &error)> done);
    // `done` gets `group`'s lag on `topic` (log end − committed), or -1 and why.
    void readLag(const QByteArray &topic, const QByteArray &group, QObject *context,
        std::function<void(qint64 lag, const QString &error)> done);

private:
    using Answer = std::function<void(qint64, const QString &)>;
    // The probe (started at first use) and a ticket under which its answer comes back.
    int ask(QObject *context, Answer done);

    cluster::KafkaSettings m_settings;
    QThread m_thread;
    FaultOffsetProbe *m_probe = nullptr; // lives on m_thread
    int m_nextTicket = 1;
    QHash<int, Answer> m_pending;
};

} // namespace sb::app
