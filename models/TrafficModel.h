#pragma once

#include "inspect/TrafficBatch.h"
#include "models/TrafficBuffer.h"
#include "protocol/TrafficFilter.h"

#include <QAbstractTableModel>
#include <QColor>
#include <QHash>

#include <deque>

namespace sb::models {

// The Traffic table: the frames of a TrafficBuffer that pass the filter, oldest first.
// A batch is applied with at most one removal at the top (frames the ring dropped) and one
// insertion at the bottom; data() formats text when asked, never stored. While paused the
// buffer keeps filling and the rows stay as they were (except frames the ring drops);
// resuming adds what came meanwhile. The filter can change while capture continues.
class TrafficModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Time,
        Source,
        Transport,
        Direction,
        Command,
        Destination,
        User,
        Session,
        MessageId,
        Bytes,
        ColumnCount
    };
    enum Role { SeqRole = Qt::UserRole + 1, SourceIndexRole };

    explicit TrafficModel(TrafficBuffer *buffer, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Appends the batch's frames to the buffer and the matching ones to the rows.
    void apply(QList<protocol::TrafficFrame> frames);
    void setFilter(const protocol::TrafficFilter &filter);
    const protocol::TrafficFilter &filter() const { return m_filter; }
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    void clear();
    // Resizes the buffer (the oldest frames go first) and the rows with it.
    void setBufferCapacity(qsizetype frames);
    // Replaces everything with these frames (a capture opened from a file), unpaused.
    void replaceAll(QList<protocol::TrafficFrame> frames);

    const protocol::TrafficFrame *frameAt(int row) const;
    qint64 seqAt(int row) const;
    int rowOfSeq(qint64 seq) const; // -1 when not shown
    // The next/previous shown row after/before `row` whose frame matches, wrapping; -1 if none.
    int findRow(const protocol::TrafficFilter &what, int fromRow, bool forward) const;

    qint64 shownFramesSkippedWhilePaused() const; // frames captured since the pause
    TrafficBuffer *buffer() const { return m_buffer; }

    // A stable colour per source (replica), in first-seen order.
    QColor sourceColour(const QString &source) const;
    static QString formatTime(qint64 tsMs);
    static QString columnName(int column);
    static QString columnText(const protocol::TrafficFrame &frame, int column);
    // The filter term that selects a cell's value ("user=alice"), quoted when it must be;
    // empty for columns the filter language has no field for.
    QString filterTermFor(const QModelIndex &index) const;

signals:
    void countsChanged();

private:
    void dropEvictedRows();
    void rebuildRows(qint64 upTo);
    void appendMatching(qint64 fromSeq);

    TrafficBuffer *m_buffer;
    protocol::TrafficFilter m_filter;
    std::deque<qint64> m_rows; // seqs of the shown frames
    bool m_paused = false;
    qint64 m_consideredUpTo = 1; // frames with seq below this were filtered into m_rows already
    mutable QHash<QString, int> m_sourceIndex;
};

} // namespace sb::models
