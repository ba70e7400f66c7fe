#include "ui/ElidedLabel.h"

#include <QResizeEvent>

namespace sb::ui {

ElidedLabel::ElidedLabel(QWidget *parent)
    : QLabel(parent)
{
    setWordWrap(false);
    setTextFormat(Qt::PlainText);
    setMinimumWidth(1); // not the whole text's width: the area may be narrow
}

void ElidedLabel::setFullText(const QString &text)
{
    if (m_fullText == text)
        return;
    m_fullText = text;
    setToolTip(text);
    elide();
}

void ElidedLabel::resizeEvent(QResizeEvent *event)
{
    QLabel::resizeEvent(event);
    elide(); // the layout gives the label its width when it is shown and when the area resizes
}

void ElidedLabel::elide()
{
    setText(fontMetrics().elidedText(m_fullText, Qt::ElideRight, qMax(contentsRect().width(), 1)));
}

} // namespace sb::ui
