#pragma once

#include <QLabel>

namespace sb::ui {

// A one-line banner: shows what fits of its text, elided at the end, and carries the whole
// text in its tooltip. Wrapped, a long notice took three or four lines of a 1280x800 area
// and left its tables a row or two.
class ElidedLabel : public QLabel
{
    Q_OBJECT
public:
    explicit ElidedLabel(QWidget *parent = nullptr);

    void setFullText(const QString &text);
    QString fullText() const { return m_fullText; }

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void elide();

    QString m_fullText;
};

} // namespace sb::ui
