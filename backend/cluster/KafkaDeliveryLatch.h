#pragma once

#include "cluster/KafkaProducer.h"

#include <QMutex>
#include <QString>
#include <QWaitCondition>

#include <functional>
#include <memory>

namespace sb::cluster {

// Waits for the delivery reports of a group of produce() calls, e.g. everything a
// consumer batch produced, so its offsets are committed only once its output is safely
// in Kafka. The state is shared with the callbacks, so a waiter that gives up early
// (shutdown) leaves nothing dangling.
class KafkaDeliveryLatch
{
public:
    // A callback for one produce(); counts it as pending until it reports.
    KafkaProducer::DeliveryCallback track()
    {
        {
            const QMutexLocker lock(&m_state->mutex);
            ++m_state->pending;
        }
        return [state = m_state](const QString &error) {
            const QMutexLocker lock(&state->mutex);
            --state->pending;
            if (!error.isEmpty()) {
                if (state->failures++ == 0)
                    state->firstError = error;
            }
            state->done.wakeAll();
        };
    }

    // True once every tracked delivery reported; false if `giveUp` said so first (it is
    // asked every 100 ms).
    bool wait(const std::function<bool()> &giveUp)
    {
        const QMutexLocker lock(&m_state->mutex);
        while (m_state->pending > 0) {
            if (giveUp())
                return false;
            m_state->done.wait(&m_state->mutex, 100);
        }
        return true;
    }

    int failures() const
    {
        const QMutexLocker lock(&m_state->mutex);
        return m_state->failures;
    }
    QString firstError() const
    {
        const QMutexLocker lock(&m_state->mutex);
        return m_state->firstError;
    }

private:
    struct State
    {
        QMutex mutex;
        QWaitCondition done;
        int pending = 0;
        int failures = 0;
        QString firstError;
    };
    std::shared_ptr<State> m_state = std::make_shared<State>();
};

} // namespace sb::cluster
