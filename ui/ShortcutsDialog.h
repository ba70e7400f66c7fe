#pragma once

#include <QDialog>

namespace sb::ui {

// Lists every action of a window that has a shortcut, read from the actions themselves so
// the list can never drift from what the keys really do.
class ShortcutsDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ShortcutsDialog(const QWidget *window, QWidget *parent = nullptr);
};

} // namespace sb::ui
