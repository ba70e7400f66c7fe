#include "ui/TrafficDetailPane.h"

#include "inspect/FrameBodyText.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

namespace sb::ui {

using protocol::TrafficFrame;

TrafficDetailPane::TrafficDetailPane(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("trafficDetail"));
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("trafficDetailSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *copy = new QPushButton(tr("Copy"), this);
    copy->setToolTip(tr("Copy the whole frame (summary, headers and body) as text (Ctrl+Shift+C)"));
    connect(copy, &QPushButton::clicked, this, &TrafficDetailPane::copyFrame);
    auto *trace = new QPushButton(tr("Trace"), this);
    trace->setObjectName(QStringLiteral("trafficDetailTrace"));
    trace->setToolTip(tr("Follow this frame's message id through every replica (Ctrl+T in the table)"));
    connect(trace, &QPushButton::clicked, this, [this] {
        if (m_hasFrame && !m_frame.messageId.isEmpty())
            emit traceRequested(m_frame.messageId);
    });

    m_headers = new QTableWidget(0, 2, this);
    m_headers->setObjectName(QStringLiteral("trafficDetailHeaders"));
    m_headers->setHorizontalHeaderLabels({ tr("Header"), tr("Value") });
    m_headers->verticalHeader()->hide();
    m_headers->horizontalHeader()->setStretchLastSection(true);
    m_headers->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_headers->setWordWrap(false);

    m_bodyView = new QComboBox(this);
    m_bodyView->addItem(tr("Auto"), int(BodyView::Auto));
    m_bodyView->addItem(tr("Text"), int(BodyView::Text));
    m_bodyView->addItem(tr("Hex"), int(BodyView::Hex));
    m_bodyView->setToolTip(
        tr("How to show the body: Auto pretty-prints JSON and falls back to hex for binary"));
    connect(m_bodyView, &QComboBox::currentIndexChanged, this, &TrafficDetailPane::renderCurrentBody);
    m_bodyKind = new QLabel(this);
    m_body = new QPlainTextEdit(this);
    m_body->setObjectName(QStringLiteral("trafficDetailBody"));
    m_body->setReadOnly(true);
    m_body->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_body->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));

    auto *top = new QHBoxLayout;
    top->addWidget(m_summary, 1);
    top->addWidget(trace);
    top->addWidget(copy);
    auto *bodyBar = new QHBoxLayout;
    bodyBar->addWidget(m_bodyKind, 1);
    bodyBar->addWidget(m_bodyView);
    auto *bodyBox = new QWidget(this);
    auto *bodyLayout = new QVBoxLayout(bodyBox);
    bodyLayout->setContentsMargins(0, 0, 0, 0);
    bodyLayout->addLayout(bodyBar);
    bodyLayout->addWidget(m_body);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_headers);
    split->addWidget(bodyBox);
    split->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addLayout(top);
    layout->addWidget(split, 1);
    clear();
}

void TrafficDetailPane::clear()
{
    m_hasFrame = false;
    m_frame = {};
    m_summary->setText(tr("Select a frame to see its headers and body."));
    m_headers->setRowCount(0);
    m_body->clear();
    m_bodyKind->clear();
}

QString TrafficDetailPane::summaryText() const
{
    return m_summary->text();
}

QString TrafficDetailPane::bodyText() const
{
    return m_body->toPlainText();
}

void TrafficDetailPane::showFrame(const TrafficFrame &frame)
{
    m_frame = frame;
    m_hasFrame = true;
    const QString direction = frame.direction == TrafficFrame::Direction::In ? tr("client → server")
        : frame.direction == TrafficFrame::Direction::Out                    ? tr("server → client")
                                                                             : tr("event");
    // One arg() call: chained calls would substitute a "%n" inside a command or destination.
    m_summary->setText(
        tr("%1 %2 · %3 · %4 %5 · %6 bytes%7%8")
            .arg(frame.command, frame.destination, frame.source, TrafficFrame::transportName(frame.transport),
                direction, QString::number(frame.bytes),
                frame.messageId.isEmpty() ? QString() : tr(" · message-id %1").arg(frame.messageId),
                frame.truncated ? tr(" · body cut by the node (showing %1 bytes)").arg(frame.body.size())
                                : QString()));
    const QList<TrafficFrame::Header> headers = frame.headers();
    m_headers->setRowCount(int(headers.size()));
    for (int row = 0; row < headers.size(); ++row) {
        auto *name = new QTableWidgetItem(headers[row].first);
        auto *value = new QTableWidgetItem(headers[row].second);
        value->setToolTip(headers[row].second);
        m_headers->setItem(row, 0, name);
        m_headers->setItem(row, 1, value);
    }
    m_headers->resizeColumnToContents(0);
    renderCurrentBody();
}

void TrafficDetailPane::renderCurrentBody()
{
    if (!m_hasFrame)
        return;
    QString kind;
    m_body->setPlainText(renderBody(m_frame.body, BodyView(m_bodyView->currentData().toInt()), &kind));
    m_bodyKind->setText(tr("Body: %1, %2 bytes").arg(kind).arg(m_frame.body.size()));
}

// The pane's views are FrameBodyText's, in the same order.
static_assert(int(TrafficDetailPane::BodyView::Auto) == int(inspect::FrameBodyText::View::Auto)
    && int(TrafficDetailPane::BodyView::Text) == int(inspect::FrameBodyText::View::Text)
    && int(TrafficDetailPane::BodyView::Hex) == int(inspect::FrameBodyText::View::Hex));

QString TrafficDetailPane::renderBody(const QByteArray &body, BodyView view, QString *kind)
{
    return inspect::FrameBodyText::render(body, inspect::FrameBodyText::View(int(view)), kind);
}

QString TrafficDetailPane::hexDump(const QByteArray &bytes, qsizetype maxBytes)
{
    return inspect::FrameBodyText::hexDump(bytes, maxBytes);
}

QString TrafficDetailPane::frameAsText(const TrafficFrame &frame)
{
    return inspect::FrameBodyText::frameAsText(frame);
}

void TrafficDetailPane::copyFrame() const
{
    if (m_hasFrame)
        QApplication::clipboard()->setText(frameAsText(m_frame));
}

} // namespace sb::ui
