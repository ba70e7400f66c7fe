#pragma once

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

namespace sb::inspect {

// What the console knows of one traffic source (a replica's tap, a probe, the Redis
// monitor, the Kafka tail): a plain record handed to the GUI with every batch.
struct TapSourceStatus
{
    // Connecting: logging in or opening the stream. Live: frames flow. Lagging: the source
    // says it dropped frames because this reader was slow (recently). Refused: the
    // credentials were rejected (no retry until they change). Down: unreachable; retried
    // with back-off. Stopped: not wanted any more.
    enum class State { Connecting, Live, Lagging, Refused, Down, Stopped };

    QString id;
    QString kind = QStringLiteral("tap"); // tap | probe | redis | kafka
    State state = State::Connecting;
    QString detail; // why, for the tooltip; empty when all is well
    QDateTime since; // when it entered `state`
    qint64 frames = 0; // received from this source
    qint64 droppedBySource = 0; // the node's count of frames it dropped for this reader
    int reconnects = 0;

    static QString stateName(State state)
    {
        switch (state) {
        case State::Connecting:
            return QStringLiteral("connecting");
        case State::Live:
            return QStringLiteral("live");
        case State::Lagging:
            return QStringLiteral("lagging");
        case State::Refused:
            return QStringLiteral("refused");
        case State::Down:
            return QStringLiteral("down");
        case State::Stopped:
            return QStringLiteral("stopped");
        }
        return {};
    }
};

} // namespace sb::inspect

Q_DECLARE_METATYPE(sb::inspect::TapSourceStatus)
