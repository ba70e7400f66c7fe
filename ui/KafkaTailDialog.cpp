#include "ui/KafkaTailDialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace sb::ui {

KafkaTailDialog::KafkaTailDialog(const QStringList &suggestedTopics, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Tail Kafka topics"));
    m_topics = new QLineEdit(suggestedTopics.join(QStringLiteral(", ")), this);
    m_topics->setObjectName(QStringLiteral("kafkaTailTopics"));
    m_topics->setToolTip(tr("Comma-separated topics; every partition of each is read"));
    m_from = new QComboBox(this);
    m_from->setObjectName(QStringLiteral("kafkaTailFrom"));
    m_from->addItem(tr("the latest record (what comes next)"), int(StartFrom::Latest));
    m_from->addItem(tr("the earliest record still kept"), int(StartFrom::Earliest));
    m_from->addItem(tr("an offset, in every partition"), int(StartFrom::Offset));
    m_from->addItem(tr("a time"), int(StartFrom::Time));
    m_value = new QLineEdit(this);
    m_value->setObjectName(QStringLiteral("kafkaTailValue"));
    m_error = new QLabel(this);
    m_error->setStyleSheet(QStringLiteral("QLabel { color: #c62828; }"));
    m_error->setWordWrap(true);
    auto *note
        = new QLabel(tr("The tail assigns partitions itself: it never joins a consumer group and never "
                        "commits, so no group's position moves."),
            this);
    note->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_start = buttons->addButton(tr("Start tail"), QDialogButtonBox::AcceptRole);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *form = new QFormLayout;
    form->addRow(tr("Topics"), m_topics);
    form->addRow(tr("Start from"), m_from);
    form->addRow(tr("Offset or time"), m_value);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    connect(m_topics, &QLineEdit::textChanged, this, &KafkaTailDialog::revalidate);
    connect(m_value, &QLineEdit::textChanged, this, &KafkaTailDialog::revalidate);
    connect(m_from, &QComboBox::currentIndexChanged, this, [this] {
        const StartFrom from = startFrom();
        m_value->setEnabled(from == StartFrom::Offset || from == StartFrom::Time);
        m_value->setPlaceholderText(from == StartFrom::Offset ? tr("e.g. 1200")
                : from == StartFrom::Time                     ? tr("e.g. 14:05:00 or 2026-12-05T14:05:00")
                                                              : QString());
        revalidate();
    });
    m_value->setEnabled(false);
    revalidate();
}

QStringList KafkaTailDialog::topics() const
{
    QStringList list;
    for (const QString &topic : m_topics->text().split(u',', Qt::SkipEmptyParts))
        if (!topic.trimmed().isEmpty())
            list.append(topic.trimmed());
    return list;
}

KafkaTailDialog::StartFrom KafkaTailDialog::startFrom() const
{
    return StartFrom(m_from->currentData().toInt());
}

qint64 KafkaTailDialog::offset() const
{
    return m_value->text().trimmed().toLongLong();
}

QDateTime KafkaTailDialog::time() const
{
    const QString text = m_value->text().trimmed();
    QDateTime at = QDateTime::fromString(text, Qt::ISODate);
    if (!at.isValid()) {
        const QTime clock = QTime::fromString(text, QStringLiteral("HH:mm:ss"));
        if (clock.isValid())
            at = QDateTime(QDate::currentDate(), clock);
    }
    return at;
}

QString KafkaTailDialog::validationError() const
{
    const QStringList list = topics();
    if (list.isEmpty())
        return tr("Name at least one topic.");
    for (const QString &topic : list) {
        // Kafka's own rule: 1-249 characters of [a-zA-Z0-9._-].
        const bool legal = topic.size() <= 249 && std::all_of(topic.cbegin(), topic.cend(), [](QChar c) {
            return (c.isLetterOrNumber() && c.unicode() < 128) || c == u'.' || c == u'_' || c == u'-';
        });
        if (!legal)
            return tr("'%1' is not a Kafka topic name (letters, digits, '.', '_' and '-', at most 249).")
                .arg(topic);
    }
    if (startFrom() == StartFrom::Offset) {
        bool ok = false;
        const qint64 value = m_value->text().trimmed().toLongLong(&ok);
        if (!ok || value < 0)
            return tr("The offset must be a whole number, 0 or more.");
    }
    if (startFrom() == StartFrom::Time && !time().isValid())
        return tr("The time must read like 14:05:00 (today) or 2026-12-05T14:05:00.");
    return {};
}

void KafkaTailDialog::revalidate()
{
    const QString error = validationError();
    m_error->setText(error);
    m_start->setEnabled(error.isEmpty());
}

} // namespace sb::ui
