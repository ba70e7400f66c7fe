#pragma once

#include "protocol/TrafficFrame.h"

#include <QList>
#include <QWidget>

namespace sb::ui {

// A ladder of one session: the client on the left, its replica on the right, and every
// frame between them in time order as an arrow labelled with its command and destination
// (CONNECT, SUBSCRIBE, SEND, RECEIPT, MESSAGE, ERROR …); lifecycle events (OPEN, STATE,
// CLOSE with its reason) sit on the replica's line. Painted, not one widget per frame; at
// most kMaxFrames (the newest). Goes in a QScrollArea (it is as tall as its rows).
class SequenceDiagram : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kMaxFrames = 2000;

    explicit SequenceDiagram(QWidget *parent = nullptr);

    void setSession(
        const QString &clientLabel, const QString &replicaLabel, QList<protocol::TrafficFrame> frames);
    void clear();
    const QList<protocol::TrafficFrame> &frames() const { return m_frames; }
    // One line per frame as drawn: "12:00:01.123 client → replica SEND /app/channels.general".
    QStringList lines() const;
    QSize sizeHint() const override;

signals:
    void frameActivated(qint64 seq);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;

private:
    int rowHeight() const;
    static QString label(const protocol::TrafficFrame &frame);

    QString m_client;
    QString m_replica;
    QList<protocol::TrafficFrame> m_frames;
};

} // namespace sb::ui
