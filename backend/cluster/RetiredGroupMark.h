#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace sb::cluster {

// The mark a replica leaves in the committed offsets of a consumer group it retires (its
// per-boot groups, at a clean stop): the OffsetCommit metadata of every partition reads
// "switchboard:retired;by=<client id>;at=<ms since epoch>". The group's own data then says
// it was left on purpose, to anyone who reads its offsets (the console, kcat -q), even where
// the broker cannot delete the group (librdkafka's mock cluster) or after the registry
// entry of the replica is long gone.
struct RetiredGroupMark
{
    QString by; // the retiring client's id, e.g. switchboard-node-2
    qint64 atMs = 0; // when it retired the group

    static QByteArray prefix() { return QByteArrayLiteral("switchboard:retired"); }

    QByteArray encode() const { return prefix() + ";by=" + by.toUtf8() + ";at=" + QByteArray::number(atMs); }

    // nullopt unless `metadata` is such a mark.
    static std::optional<RetiredGroupMark> parse(const QByteArray &metadata)
    {
        if (!metadata.startsWith(prefix()))
            return std::nullopt;
        RetiredGroupMark mark;
        const QList<QByteArray> fields = metadata.mid(prefix().size()).split(';');
        for (const QByteArray &field : fields) {
            if (field.startsWith("by="))
                mark.by = QString::fromUtf8(field.mid(3));
            else if (field.startsWith("at="))
                mark.atMs = field.mid(3).toLongLong();
        }
        return mark;
    }
};

} // namespace sb::cluster
