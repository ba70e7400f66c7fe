#pragma once

#include "inspect/ProbeState.h"
#include "protocol/TrafficFrame.h"

#include <QList>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>

namespace sb::testing {

// Keeps what a probe client reports (frames, state changes) for a test to look at. Works
// with StompProbeClient and SseProbeClient alike; the client is the connections' context,
// so declare the recorder after the client (it goes first).
class ProbeRecorder
{
public:
    template<typename Client> explicit ProbeRecorder(Client *client)
    {
        QObject::connect(client, &Client::frame, client,
            [this](const sb::protocol::TrafficFrame &frame) { frames.append(frame); });
        QObject::connect(client, &Client::stateChanged, client,
            [this](sb::inspect::ProbeState state, const QString &detail) {
                states.append(state);
                details.append(detail);
            });
    }

    QList<sb::protocol::TrafficFrame> frames;
    QList<sb::inspect::ProbeState> states;
    QStringList details;

    // The first frame matching, or nothing.
    std::optional<sb::protocol::TrafficFrame> find(
        const std::function<bool(const sb::protocol::TrafficFrame &)> &match) const
    {
        for (const auto &frame : frames)
            if (match(frame))
                return frame;
        return std::nullopt;
    }
    std::optional<sb::protocol::TrafficFrame> find(
        const QString &command, sb::protocol::TrafficFrame::Direction direction) const
    {
        return find([&](const sb::protocol::TrafficFrame &frame) {
            return frame.command == command && frame.direction == direction;
        });
    }
    qsizetype count(const QString &command) const
    {
        qsizetype n = 0;
        for (const auto &frame : frames)
            n += frame.command == command ? 1 : 0;
        return n;
    }
    // Where the first frame with this command is; -1 when there is none.
    qsizetype indexOf(const QString &command) const
    {
        for (qsizetype i = 0; i < frames.size(); ++i)
            if (frames.at(i).command == command)
                return i;
        return -1;
    }
    QString lastDetail() const { return details.isEmpty() ? QString() : details.last(); }
    // Every command in order, for failure messages.
    QString commands() const
    {
        QStringList names;
        for (const auto &frame : frames)
            names << sb::protocol::TrafficFrame::directionName(frame.direction) + u':' + frame.command;
        return names.join(u' ');
    }
};

} // namespace sb::testing
