#include "models/TrafficModel.h"

#include <QDateTime>
#include <QLocale>

namespace sb::models {

namespace {
// Distinct in both light and dark themes; a replica keeps its colour for the session.
const QColor kSourcePalette[] = { QColor(0x1f, 0x77, 0xb4), QColor(0xd6, 0x27, 0x28),
    QColor(0x2c, 0xa0, 0x2c), QColor(0x94, 0x67, 0xbd), QColor(0xff, 0x7f, 0x0e), QColor(0x17, 0xbe, 0xcf),
    QColor(0x8c, 0x56, 0x4b), QColor(0xe3, 0x77, 0xc2), QColor(0x7f, 0x7f, 0x7f), QColor(0xbc, 0xbd, 0x22) };
} // namespace

TrafficModel::TrafficModel(TrafficBuffer *buffer, QObject *parent)
    : QAbstractTableModel(parent)
    , m_buffer(buffer)
{
    m_consideredUpTo = m_buffer->firstSeq();
    appendMatching(m_consideredUpTo);
}

int TrafficModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int TrafficModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString TrafficModel::columnName(int column)
{
    switch (column) {
    case Time:
        return QStringLiteral("Time");
    case Source:
        return QStringLiteral("Replica");
    case Transport:
        return QStringLiteral("Transport");
    case Direction:
        return QStringLiteral("Dir");
    case Command:
        return QStringLiteral("Command");
    case Destination:
        return QStringLiteral("Destination");
    case User:
        return QStringLiteral("User");
    case Session:
        return QStringLiteral("Session");
    case MessageId:
        return QStringLiteral("Message id");
    case Bytes:
        return QStringLiteral("Bytes");
    }
    return {};
}

QString TrafficModel::formatTime(qint64 tsMs)
{
    return QDateTime::fromMSecsSinceEpoch(tsMs).toString(QStringLiteral("HH:mm:ss.zzz"));
}

QString TrafficModel::columnText(const protocol::TrafficFrame &frame, int column)
{
    switch (column) {
    case Time:
        return formatTime(frame.tsMs);
    case Source:
        return frame.source;
    case Transport:
        return protocol::TrafficFrame::transportName(frame.transport);
    case Direction:
        return frame.direction == protocol::TrafficFrame::Direction::In ? QStringLiteral("→ in")
            : frame.direction == protocol::TrafficFrame::Direction::Out ? QStringLiteral("← out")
                                                                        : QString();
    case Command:
        return frame.command;
    case Destination:
        return frame.destination;
    case User:
        return frame.user;
    case Session:
        return frame.session;
    case MessageId:
        return frame.messageId;
    case Bytes:
        return QString::number(frame.bytes);
    }
    return {};
}

QVariant TrafficModel::data(const QModelIndex &index, int role) const
{
    const protocol::TrafficFrame *frame = index.isValid() ? frameAt(index.row()) : nullptr;
    if (!frame)
        return {};
    switch (role) {
    case Qt::DisplayRole:
        return columnText(*frame, index.column());
    case Qt::ToolTipRole:
        if (index.column() == Time)
            return QDateTime::fromMSecsSinceEpoch(frame->tsMs).toString(Qt::ISODateWithMs);
        if (index.column() == Destination || index.column() == Session || index.column() == MessageId
            || index.column() == User)
            return columnText(*frame, index.column());
        return {};
    case Qt::ForegroundRole:
        if (index.column() == Source)
            return sourceColour(frame->source);
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == Bytes)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case SeqRole:
        return frame->seq;
    case SourceIndexRole:
        sourceColour(frame->source);
        return m_sourceIndex.value(frame->source);
    default:
        return {};
    }
}

QVariant TrafficModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole)
        return columnName(section);
    if (role == Qt::ToolTipRole && section == Direction)
        return QStringLiteral("→ in: client to server · ← out: server to client");
    return {};
}

QColor TrafficModel::sourceColour(const QString &source) const
{
    auto it = m_sourceIndex.constFind(source);
    if (it == m_sourceIndex.cend())
        it = m_sourceIndex.insert(source, int(m_sourceIndex.size()));
    return kSourcePalette[*it % int(std::size(kSourcePalette))];
}

const protocol::TrafficFrame *TrafficModel::frameAt(int row) const
{
    if (row < 0 || size_t(row) >= m_rows.size())
        return nullptr;
    return m_buffer->bySeq(m_rows[size_t(row)]);
}

qint64 TrafficModel::seqAt(int row) const
{
    if (row < 0 || size_t(row) >= m_rows.size())
        return -1;
    return m_rows[size_t(row)];
}

int TrafficModel::rowOfSeq(qint64 seq) const
{
    const auto it = std::lower_bound(m_rows.cbegin(), m_rows.cend(), seq);
    if (it == m_rows.cend() || *it != seq)
        return -1;
    return int(it - m_rows.cbegin());
}

int TrafficModel::findRow(const protocol::TrafficFilter &what, int fromRow, bool forward) const
{
    const int rows = rowCount();
    for (int step = 1; step <= rows; ++step) {
        const int row = forward ? (fromRow + step) % rows : ((fromRow - step) % rows + rows) % rows;
        if (const auto *frame = frameAt(row); frame && what.matches(*frame))
            return row;
    }
    return -1;
}

void TrafficModel::apply(QList<protocol::TrafficFrame> frames)
{
    if (frames.isEmpty())
        return;
    m_buffer->append(std::move(frames));
    dropEvictedRows();
    if (!m_paused)
        appendMatching(m_consideredUpTo);
    emit countsChanged();
}

void TrafficModel::dropEvictedRows()
{
    const qint64 first = m_buffer->firstSeq();
    if (m_consideredUpTo < first)
        m_consideredUpTo = first; // dropped before the filter ever saw them (paused)
    const auto end = std::lower_bound(m_rows.cbegin(), m_rows.cend(), first);
    const auto gone = int(end - m_rows.cbegin());
    if (gone == 0)
        return;
    beginRemoveRows({}, 0, gone - 1);
    m_rows.erase(m_rows.begin(), m_rows.begin() + gone);
    endRemoveRows();
}

void TrafficModel::appendMatching(qint64 fromSeq)
{
    std::vector<qint64> matching;
    const qint64 end = m_buffer->nextSeq();
    for (qint64 seq = qMax(fromSeq, m_buffer->firstSeq()); seq < end; ++seq) {
        const protocol::TrafficFrame *frame = m_buffer->bySeq(seq);
        if (frame && (m_filter.isEmpty() || m_filter.matches(*frame)))
            matching.push_back(seq);
    }
    m_consideredUpTo = end;
    if (matching.empty())
        return;
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(matching.size()) - 1);
    m_rows.insert(m_rows.end(), matching.begin(), matching.end());
    endInsertRows();
}

void TrafficModel::rebuildRows(qint64 upTo)
{
    m_rows.clear();
    for (qint64 seq = m_buffer->firstSeq(); seq < upTo; ++seq) {
        const protocol::TrafficFrame *frame = m_buffer->bySeq(seq);
        if (frame && (m_filter.isEmpty() || m_filter.matches(*frame)))
            m_rows.push_back(seq);
    }
}

void TrafficModel::setFilter(const protocol::TrafficFilter &filter)
{
    beginResetModel();
    m_filter = filter;
    // While paused the rows stay frozen at what had arrived when the pause began.
    const qint64 upTo = m_paused ? m_consideredUpTo : m_buffer->nextSeq();
    rebuildRows(upTo);
    if (!m_paused)
        m_consideredUpTo = upTo;
    endResetModel();
    emit countsChanged();
}

void TrafficModel::setBufferCapacity(qsizetype frames)
{
    beginResetModel();
    m_buffer->setCapacity(frames);
    m_consideredUpTo = qMax(m_consideredUpTo, m_buffer->firstSeq());
    rebuildRows(m_paused ? m_consideredUpTo : m_buffer->nextSeq());
    endResetModel();
    emit countsChanged();
}

void TrafficModel::replaceAll(QList<protocol::TrafficFrame> frames)
{
    beginResetModel();
    m_paused = false;
    m_buffer->clear();
    m_buffer->append(std::move(frames));
    rebuildRows(m_buffer->nextSeq());
    m_consideredUpTo = m_buffer->nextSeq();
    endResetModel();
    emit countsChanged();
}

void TrafficModel::setPaused(bool paused)
{
    if (paused == m_paused)
        return;
    m_paused = paused;
    if (!m_paused)
        appendMatching(m_consideredUpTo);
    emit countsChanged();
}

qint64 TrafficModel::shownFramesSkippedWhilePaused() const
{
    return m_paused ? m_buffer->nextSeq() - m_consideredUpTo : 0;
}

void TrafficModel::clear()
{
    beginResetModel();
    m_buffer->clear();
    m_rows.clear();
    m_consideredUpTo = m_buffer->nextSeq();
    endResetModel();
    emit countsChanged();
}

QString TrafficModel::filterTermFor(const QModelIndex &index) const
{
    const protocol::TrafficFrame *frame = index.isValid() ? frameAt(index.row()) : nullptr;
    if (!frame)
        return {};
    QString field;
    switch (index.column()) {
    case Source:
        field = QStringLiteral("source");
        break;
    case Transport:
        field = QStringLiteral("transport");
        break;
    case Direction:
        field = QStringLiteral("dir");
        break;
    case Command:
        field = QStringLiteral("cmd");
        break;
    case Destination:
        field = QStringLiteral("dest");
        break;
    case User:
        field = QStringLiteral("user");
        break;
    case Session:
        field = QStringLiteral("session");
        break;
    case MessageId:
        field = QStringLiteral("id");
        break;
    default:
        return {};
    }
    QString value = index.column() == Direction ? protocol::TrafficFrame::directionName(frame->direction)
        : index.column() == Transport           ? protocol::TrafficFrame::transportName(frame->transport)
                                                : columnText(*frame, index.column());
    if (value.isEmpty())
        return {};
    // Quoted when it holds a space or a quote (or reads as a /regex/), so the term reads back as one value.
    if (value.contains(u' ') || value.contains(u'"') || value.startsWith(u'/'))
        value = u'"'
            + QString(value).replace(u'\\', QStringLiteral("\\\\")).replace(u'"', QStringLiteral("\\\""))
            + u'"';
    return field + u'=' + value;
}

} // namespace sb::models
