#include "ui/ShortcutsDialog.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace sb::ui {

ShortcutsDialog::ShortcutsDialog(const QWidget *window, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(QStringLiteral("Keyboard Shortcuts"));
    QList<QAction *> actions;
    const auto all = window->findChildren<QAction *>();
    std::copy_if(all.begin(), all.end(), std::back_inserter(actions),
        [](const QAction *a) { return !a->shortcut().isEmpty(); });
    std::sort(actions.begin(), actions.end(),
        [](const QAction *a, const QAction *b) { return a->text() < b->text(); });

    auto *table = new QTableWidget(int(actions.size()), 2, this);
    table->setObjectName(QStringLiteral("shortcutsTable"));
    table->setHorizontalHeaderLabels({ QStringLiteral("Action"), QStringLiteral("Shortcut") });
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->verticalHeader()->hide();
    for (int row = 0; row < actions.size(); ++row) {
        QString text = actions[row]->text();
        text.remove(u'&');
        table->setItem(row, 0, new QTableWidgetItem(text));
        table->setItem(
            row, 1, new QTableWidgetItem(actions[row]->shortcut().toString(QKeySequence::NativeText)));
    }
    table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    table->resizeColumnToContents(1);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(table);
    layout->addWidget(buttons);
    resize(420, 360);
}

} // namespace sb::ui
