#pragma once

#include <QAction>
#include <QKeySequence>
#include <QWidget>

namespace sb::ui {

// An action of one console area: its shortcut works only while the focus is inside that
// area (never another area's keys), its tooltip names the keys, and Help → Keyboard
// Shortcuts lists it by its text.
inline QAction *addAreaAction(
    QWidget *area, const QString &text, const QKeySequence &keys, const QString &tip)
{
    auto *action = new QAction(text, area);
    action->setShortcut(keys);
    action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    action->setToolTip(
        keys.isEmpty() ? tip : tip + QStringLiteral(" (") + keys.toString(QKeySequence::NativeText) + u')');
    area->addAction(action);
    return action;
}

} // namespace sb::ui
