#pragma once

#include "inspect/MessageTrace.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QTableWidget;

namespace sb::ui {

// The end-to-end trace of one message id: every hop in time order with its latency from
// the publish (replica, stage-1 record with partition and offset, stage-2 broadcast, each
// delivery), and apart from them the subscribers who should have received it and did not,
// with the likeliest reason. A message id can be typed or come from the table's selection.
class TracePane : public QWidget
{
    Q_OBJECT
public:
    explicit TracePane(QWidget *parent = nullptr);

    void showTrace(const inspect::MessageTrace &trace);
    const inspect::MessageTrace &trace() const { return m_trace; }
    QString summaryText() const;

signals:
    void traceRequested(const QString &messageId);
    void hopActivated(qint64 seq); // show that frame in the table

private:
    inspect::MessageTrace m_trace;
    QLineEdit *m_id = nullptr;
    QLabel *m_summary = nullptr;
    QTableWidget *m_hops = nullptr;
    QLabel *m_missedTitle = nullptr;
    QTableWidget *m_missed = nullptr;
};

} // namespace sb::ui
