#pragma once

#include "protocol/TrafficFrame.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QTableWidget;
class QComboBox;

namespace sb::ui {

// One frame, decoded: what it was (command, replica, transport, direction, sizes), its
// headers in order, and its body as pretty-printed JSON when it is JSON, as text when it is
// UTF-8, or as a hex dump otherwise (selectable). Copy puts the whole frame as text on the
// clipboard. Reads the frame it is given; never a socket.
class TrafficDetailPane : public QWidget
{
    Q_OBJECT
public:
    enum class BodyView { Auto, Text, Hex };

    explicit TrafficDetailPane(QWidget *parent = nullptr);

    void showFrame(const protocol::TrafficFrame &frame);
    void clear();
    bool hasFrame() const { return m_hasFrame; }

    // The frame as plain text: a summary line, "name: value" headers, a blank line, the body.
    static QString frameAsText(const protocol::TrafficFrame &frame);
    // The body as the pane shows it in Auto: pretty JSON, else the UTF-8 text, else hex.
    static QString renderBody(const QByteArray &body, BodyView view, QString *kind = nullptr);
    static QString hexDump(const QByteArray &bytes, qsizetype maxBytes = 64 * 1024);
    QString bodyText() const;
    void copyFrame() const; // the frame as text on the clipboard
    QString summaryText() const;

signals:
    void traceRequested(const QString &messageId);

private:
    void renderCurrentBody();

    protocol::TrafficFrame m_frame;
    bool m_hasFrame = false;
    QLabel *m_summary = nullptr;
    QTableWidget *m_headers = nullptr;
    QComboBox *m_bodyView = nullptr;
    QLabel *m_bodyKind = nullptr;
    QPlainTextEdit *m_body = nullptr;
};

} // namespace sb::ui
