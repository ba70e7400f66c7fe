#pragma once

#include <QJsonObject>
#include <QMap>
#include <QString>

class QWidget;

namespace sb::ui {

// Writes DIR/window.png (the window as drawn), DIR/area-<key>.png (each area given, as
// drawn: what a reader checks for clipped text) and DIR/state.json (what every view shows).
// Every file is written atomically, so an incident report never carries half a file.
class SnapshotWriter
{
public:
    static bool write(QWidget *window, const QMap<QString, QWidget *> &areas, const QJsonObject &state,
        const QString &directory, QString *error);
    // Writes DIR/panel-<key>.png: one widget as drawn (the Alerts and Faults panels).
    static bool writePanel(QWidget *panel, const QString &key, const QString &directory, QString *error);
};

} // namespace sb::ui
