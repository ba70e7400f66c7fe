#include "ui/RecordingDialog.h"

#include <QDialogButtonBox>
#include <QFileInfo>
#include <QJsonDocument>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QVBoxLayout>

namespace sb::ui {

RecordingDialog::RecordingDialog(const models::RecordingStore &recording, const QString &path,
                                 QWidget *parent)
    : QDialog(parent)
    , m_recording(recording)
{
    setWindowTitle(QStringLiteral("Recording — %1").arg(QFileInfo(path).fileName()));
    auto *times = new QListWidget(this);
    auto *details = new QPlainTextEdit(this);
    details->setReadOnly(true);
    details->setLineWrapMode(QPlainTextEdit::NoWrap);
    for (const auto &sample : m_recording.samples())
        times->addItem(sample.at.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
    connect(times, &QListWidget::currentRowChanged, this, [this, details](int row) {
        if (row < 0 || row >= m_recording.samples().size())
            return;
        details->setPlainText(QString::fromUtf8(
            QJsonDocument(m_recording.samples().at(row).state).toJson(QJsonDocument::Indented)));
    });
    if (times->count() == 0)
        details->setPlainText(QStringLiteral("This recording holds no samples."));
    else
        times->setCurrentRow(times->count() - 1);

    auto *splitter = new QSplitter(this);
    splitter->addWidget(times);
    splitter->addWidget(details);
    splitter->setStretchFactor(1, 3);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter);
    layout->addWidget(buttons);
    resize(900, 600);
}

} // namespace sb::ui
