#pragma once

#include <QEvent>
#include <QPainter>
#include <QWidget>

namespace sb::ui {

// A veil over a widget whose figures are not live: the window colour, half transparent,
// painted over it and its children, so they read as greyed while they stay scrollable and
// selectable (the veil lets every mouse event through). It follows the widget's size and
// stays above children added later. It paints into grab() as on screen, which a graphics
// effect did not (the snapshot's window.png showed the tables over black).
// Header-only, like StaleBanner: see there why.
class StaleOverlay : public QWidget
{
public:
    static constexpr int kVeilAlpha = 150; // of 255: the figures stay readable, plainly not live

    explicit StaleOverlay(QWidget *covered)
        : QWidget(covered)
    {
        setObjectName(QStringLiteral("staleOverlay"));
        setAttribute(Qt::WA_TransparentForMouseEvents);
        setFocusPolicy(Qt::NoFocus);
        covered->installEventFilter(this);
        setGeometry(covered->rect());
        raise();
        show();
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (watched == parent()) {
            if (event->type() == QEvent::Resize)
                setGeometry(parentWidget()->rect());
            else if (event->type() == QEvent::ChildAdded)
                raise();
        }
        return QWidget::eventFilter(watched, event);
    }

    void paintEvent(QPaintEvent *) override
    {
        QColor veil = palette().color(QPalette::Window);
        veil.setAlpha(kVeilAlpha);
        QPainter(this).fillRect(rect(), veil);
    }
};

} // namespace sb::ui
