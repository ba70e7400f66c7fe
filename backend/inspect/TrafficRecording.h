#pragma once

#include "protocol/TrafficFrame.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <functional>
#include <optional>

class QIODevice;

namespace sb::inspect {

// A traffic capture on disk: JSON Lines, one tap frame per line (the node's tap format,
// secrets already masked by the node), after a first line that says what the file is:
//   {"format":"switchboard-traffic/1","created":"…","origin":"…","frames":N}
// A file of bare tap frames (`switchboard tap > file.jsonl`) reads too. Reading is strict
// about everything but a last line cut short (a capture whose writer died): its frames up
// to there are kept and the warning says so.
class TrafficRecording
{
public:
    static constexpr QLatin1String kFormat { "switchboard-traffic/1" };
    static constexpr qsizetype kMaxLineBytes = 4 * 1024 * 1024;
    static constexpr qsizetype kMaxFrames = 5000000;

    struct Header
    {
        QString origin; // what was captured: "embedded demo cluster", "profile prod", …
        QDateTime created;
        qint64 frames = 0;
    };
    struct Contents
    {
        Header header;
        QList<protocol::TrafficFrame> frames;
        QString warning; // e.g. the last line was cut short
    };

    // Calls `visit` for each frame to write, in order, until it returns false.
    using FrameSource = std::function<void(const std::function<bool(const protocol::TrafficFrame &)> &visit)>;

    // Writes header + frames; false with *error on an I/O failure.
    static bool write(QIODevice *device, const Header &header, const FrameSource &frames, QString *error);
    // Writes the file atomically (QSaveFile): a failed save leaves no half file.
    static bool save(const QString &path, const Header &header, const FrameSource &frames, QString *error);
    static std::optional<Contents> read(QIODevice *device, QString *error);
    static std::optional<Contents> load(const QString &path, QString *error);
};

} // namespace sb::inspect
