#include "ui/SequenceDiagram.h"

#include <QDateTime>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>

namespace sb::ui {

using protocol::TrafficFrame;

namespace {
constexpr int kHeaderRows = 2;
}

SequenceDiagram::SequenceDiagram(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("sequenceDiagram"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setToolTip(tr("One session's frames in order; double-click a frame to select it in the table"));
}

void SequenceDiagram::setSession(
    const QString &clientLabel, const QString &replicaLabel, QList<TrafficFrame> frames)
{
    m_client = clientLabel;
    m_replica = replicaLabel;
    if (frames.size() > kMaxFrames)
        frames = frames.mid(frames.size() - kMaxFrames);
    m_frames = std::move(frames);
    updateGeometry();
    resize(width(), sizeHint().height());
    update();
}

void SequenceDiagram::clear()
{
    setSession({}, {}, {});
}

int SequenceDiagram::rowHeight() const
{
    return fontMetrics().height() + 8;
}

QSize SequenceDiagram::sizeHint() const
{
    return { 480, rowHeight() * (int(m_frames.size()) + kHeaderRows) };
}

QString SequenceDiagram::label(const TrafficFrame &frame)
{
    QString text = frame.command;
    if (!frame.destination.isEmpty())
        text += u' ' + frame.destination;
    if (frame.command == u"CLOSE") {
        const QString reason = frame.header(QStringLiteral("reason"));
        if (!reason.isEmpty())
            text += QStringLiteral(" (%1)").arg(reason);
    } else if (frame.command == u"ERROR") {
        text += QStringLiteral(": ") + frame.header(QStringLiteral("message"));
    }
    return text;
}

QStringList SequenceDiagram::lines() const
{
    QStringList out;
    for (const TrafficFrame &frame : m_frames) {
        const QString arrow = frame.direction == TrafficFrame::Direction::In
            ? QStringLiteral("client → replica")
            : frame.direction == TrafficFrame::Direction::Out ? QStringLiteral("client ← replica")
                                                              : QStringLiteral("replica");
        out.append(QDateTime::fromMSecsSinceEpoch(frame.tsMs).toString(QStringLiteral("HH:mm:ss.zzz")) + u' '
            + arrow + u' ' + label(frame));
    }
    return out;
}

void SequenceDiagram::paintEvent(QPaintEvent *event)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.fillRect(event->rect(), palette().base());
    if (m_frames.isEmpty()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(rect().adjusted(8, 8, -8, -8), Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap,
            tr("Select a STOMP or SSE frame to see its session as a ladder: client ↔ replica."));
        return;
    }
    const int row = rowHeight();
    const int timeWidth = fontMetrics().horizontalAdvance(QStringLiteral("00:00:00.000")) + 12;
    const int clientX = timeWidth + 40;
    const int replicaX = qMax(clientX + 200, width() - 60);
    const QColor lineColour = palette().color(QPalette::Mid);
    painter.setPen(palette().color(QPalette::Text));
    QFont bold = font();
    bold.setBold(true);
    painter.setFont(bold);
    painter.drawText(QRect(clientX - 80, 0, 160, row), Qt::AlignCenter, m_client);
    painter.drawText(QRect(replicaX - 80, 0, 160, row), Qt::AlignCenter, m_replica);
    painter.setFont(font());
    painter.setPen(QPen(lineColour, 1, Qt::DashLine));
    painter.drawLine(clientX, row, clientX, height());
    painter.drawLine(replicaX, row, replicaX, height());

    const int first = qMax(0, event->rect().top() / row - kHeaderRows);
    const int last = qMin(int(m_frames.size()) - 1, event->rect().bottom() / row);
    for (int i = first; i <= last; ++i) {
        const TrafficFrame &frame = m_frames[i];
        const int y = (i + kHeaderRows) * row;
        const int arrowY = y + row - 6;
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(QRect(4, y, timeWidth, row), Qt::AlignLeft | Qt::AlignVCenter,
            QDateTime::fromMSecsSinceEpoch(frame.tsMs).toString(QStringLiteral("HH:mm:ss.zzz")));
        const bool error = frame.command == u"ERROR" || frame.command == u"CLOSE";
        const QColor colour = error                          ? QColor(0xc6, 0x28, 0x28)
            : frame.direction == TrafficFrame::Direction::In ? QColor(0x1f, 0x77, 0xb4)
                                                             : QColor(0x2c, 0x80, 0x2c);
        painter.setPen(QPen(colour, 1.5));
        if (frame.direction == TrafficFrame::Direction::None) {
            painter.setBrush(colour);
            painter.drawEllipse(QPointF(replicaX, arrowY), 3.5, 3.5);
            painter.setBrush(Qt::NoBrush);
            const QString text
                = fontMetrics().elidedText(label(frame), Qt::ElideRight, replicaX - clientX - 12);
            painter.drawText(QRect(clientX + 6, y, replicaX - clientX - 12, row - 4),
                Qt::AlignRight | Qt::AlignVCenter, text);
            continue;
        }
        const bool toReplica = frame.direction == TrafficFrame::Direction::In;
        const int from = toReplica ? clientX : replicaX;
        const int to = toReplica ? replicaX : clientX;
        painter.drawLine(from, arrowY, to, arrowY);
        const int head = toReplica ? -7 : 7;
        QPainterPath arrowHead;
        arrowHead.moveTo(to, arrowY);
        arrowHead.lineTo(to + head, arrowY - 4);
        arrowHead.lineTo(to + head, arrowY + 4);
        arrowHead.closeSubpath();
        painter.fillPath(arrowHead, colour);
        const QString text = fontMetrics().elidedText(label(frame), Qt::ElideMiddle, replicaX - clientX - 16);
        painter.drawText(QRect(clientX + 8, y, replicaX - clientX - 16, row - 6), Qt::AlignCenter, text);
    }
}

void SequenceDiagram::mouseDoubleClickEvent(QMouseEvent *event)
{
    const int index = int(event->position().y()) / rowHeight() - kHeaderRows;
    if (index >= 0 && index < m_frames.size())
        emit frameActivated(m_frames[index].seq);
}

} // namespace sb::ui
