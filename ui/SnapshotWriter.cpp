#include "ui/SnapshotWriter.h"

#include <QDir>
#include <QJsonDocument>
#include <QPixmap>
#include <QSaveFile>
#include <QWidget>

namespace sb::ui {

namespace {
bool writePng(QWidget *widget, const QString &path, QString *error)
{
    const QPixmap image = widget->grab();
    QSaveFile png(path);
    if (!png.open(QIODevice::WriteOnly) || !image.save(&png, "PNG") || !png.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(png.fileName(), png.errorString());
        return false;
    }
    return true;
}
} // namespace

bool SnapshotWriter::write(QWidget *window, const QMap<QString, QWidget *> &areas, const QJsonObject &state,
    const QString &directory, QString *error)
{
    QDir dir(directory);
    if (!dir.mkpath(QStringLiteral("."))) {
        *error = QStringLiteral("cannot create the snapshot directory '%1'").arg(directory);
        return false;
    }

    if (!writePng(window, dir.filePath(QStringLiteral("window.png")), error))
        return false;
    for (auto it = areas.cbegin(); it != areas.cend(); ++it)
        if (!writePng(
                it.value(), dir.filePath(QStringLiteral("area-") + it.key() + QStringLiteral(".png")), error))
            return false;

    QSaveFile json(dir.filePath(QStringLiteral("state.json")));
    if (!json.open(QIODevice::WriteOnly)
        || json.write(QJsonDocument(state).toJson(QJsonDocument::Indented)) < 0 || !json.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(json.fileName(), json.errorString());
        return false;
    }
    return true;
}

bool SnapshotWriter::writePanel(QWidget *panel, const QString &key, const QString &directory, QString *error)
{
    return writePng(
        panel, QDir(directory).filePath(QStringLiteral("panel-") + key + QStringLiteral(".png")), error);
}

} // namespace sb::ui
