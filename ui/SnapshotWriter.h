#pragma once

#include <QJsonObject>
#include <QString>

class QWidget;

namespace sb::ui {

// Writes DIR/window.png (the window as drawn) and DIR/state.json (what every view shows).
// Both files are written atomically, so an incident report never carries half a file.
class SnapshotWriter
{
public:
    static bool write(QWidget *window, const QJsonObject &state, const QString &directory,
                      QString *error);
};

} // namespace sb::ui
