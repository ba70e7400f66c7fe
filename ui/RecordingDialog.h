#pragma once

#include "models/RecordingStore.h"

#include <QDialog>

namespace sb::ui {

// Browses a saved recording: its samples by time, and what every view showed at each one.
class RecordingDialog : public QDialog
{
    Q_OBJECT
public:
    RecordingDialog(const models::RecordingStore &recording, const QString &path,
                    QWidget *parent = nullptr);

private:
    models::RecordingStore m_recording;
};

} // namespace sb::ui
