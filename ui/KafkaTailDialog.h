#pragma once

#include <QDateTime>
#include <QDialog>
#include <QStringList>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace sb::ui {

// Asks which Kafka topics the Traffic area should tail and from where: the latest record,
// the earliest, an offset in every partition, or a time. The tail never joins a group or
// commits. Says what is wrong before it lets the user start.
class KafkaTailDialog : public QDialog
{
    Q_OBJECT
public:
    enum class StartFrom { Latest, Earliest, Offset, Time };

    KafkaTailDialog(const QStringList &suggestedTopics, QWidget *parent = nullptr);

    QStringList topics() const;
    StartFrom startFrom() const;
    qint64 offset() const;
    QDateTime time() const;
    // Empty when the form can start a tail; otherwise what to fix.
    QString validationError() const;

private:
    void revalidate();

    QLineEdit *m_topics = nullptr;
    QComboBox *m_from = nullptr;
    QLineEdit *m_value = nullptr;
    QLabel *m_error = nullptr;
    QPushButton *m_start = nullptr;
};

} // namespace sb::ui
