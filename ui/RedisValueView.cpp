#include "ui/RedisValueView.h"

#include "inspect/RedisValueText.h"

#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QTableWidget>
#include <QVBoxLayout>

namespace sb::ui {

using inspect::RedisKeyType;

namespace {
constexpr int kPageSize = 200;
constexpr qint64 kMaxStringShown
    = 256 * 1024; // RedisValueReader::MaxStringBytes (inspect is not a ui dependency)

} // namespace

RedisValueView::RedisValueView(QWidget *parent)
    : QWidget(parent)
    , m_summary(new QLabel(this))
    , m_stack(new QStackedWidget(this))
    , m_text(new QPlainTextEdit(this))
    , m_table(new QTableWidget(this))
    , m_more(new QPushButton(tr("Load more"), this))
{
    setObjectName(QStringLiteral("redisValueView"));
    m_summary->setObjectName(QStringLiteral("valueSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_text->setObjectName(QStringLiteral("valueText"));
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_table->setObjectName(QStringLiteral("valueTable"));
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_more->setObjectName(QStringLiteral("loadMoreButton"));
    m_more->setToolTip(
        tr("Fetch the next %1 elements (paged, so a huge value never arrives in one call)").arg(kPageSize));
    m_stack->addWidget(m_text);
    m_stack->addWidget(m_table);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_summary);
    layout->addWidget(m_stack, 1);
    layout->addWidget(m_more);
    connect(m_more, &QPushButton::clicked, this, &RedisValueView::requestMore);
    clear();
}

void RedisValueView::clear()
{
    m_key.clear();
    m_type = RedisKeyType::Unknown;
    ++m_requestId;
    m_complete = true;
    m_waiting = false;
    m_totalLength = -1;
    m_error.clear();
    m_text->clear();
    m_table->setRowCount(0);
    m_summary->setText(tr("Select a key to see its value."));
    m_more->setEnabled(false);
}

void RedisValueView::showKey(const QByteArray &key, RedisKeyType type)
{
    clear();
    m_key = key;
    m_type = type;
    m_complete = false;
    m_nextCursor.clear();
    setColumns(type);
    m_stack->setCurrentWidget(type == RedisKeyType::String ? static_cast<QWidget *>(m_text) : m_table);
    requestMore();
}

void RedisValueView::requestMore()
{
    if (m_key.isEmpty() || m_complete || m_waiting)
        return;
    m_waiting = true;
    m_more->setEnabled(false);
    inspect::RedisValueRequest request;
    request.id = m_requestId;
    request.key = m_key;
    request.type = m_type;
    request.cursor = m_nextCursor;
    request.pageSize = kPageSize;
    updateSummary();
    emit pageRequested(request);
}

void RedisValueView::setColumns(RedisKeyType type)
{
    QStringList headers;
    switch (type) {
    case RedisKeyType::Hash:
        headers = { tr("Field"), tr("Value") };
        break;
    case RedisKeyType::List:
        headers = { tr("Index"), tr("Element") };
        break;
    case RedisKeyType::Set:
        headers = { tr("Member") };
        break;
    case RedisKeyType::ZSet:
        headers = { tr("Member"), tr("Score") };
        break;
    case RedisKeyType::Stream:
        headers = { tr("Entry id"), tr("Fields") };
        break;
    default:
        headers = { tr("Value") };
        break;
    }
    m_table->setColumnCount(int(headers.size()));
    m_table->setHorizontalHeaderLabels(headers);
}

void RedisValueView::showPage(const inspect::RedisValuePage &page)
{
    if (page.requestId != m_requestId || page.key != m_key)
        return; // a page of a key the user has left
    m_waiting = false;
    m_error = page.error;
    m_totalLength = page.totalLength;
    m_nextCursor = page.nextCursor;
    m_complete = page.complete;
    if (page.type == RedisKeyType::String) {
        m_text->setPlainText(inspect::RedisValueText::stringValue(page.text));
    } else {
        const int first = m_table->rowCount();
        m_table->setRowCount(first + int(page.entries.size()));
        for (int i = 0; i < page.entries.size(); ++i) {
            const inspect::RedisValueEntry &entry = page.entries.at(i);
            m_table->setItem(first + i, 0, new QTableWidgetItem(inspect::RedisValueText::shown(entry.first)));
            if (m_table->columnCount() > 1)
                m_table->setItem(
                    first + i, 1, new QTableWidgetItem(inspect::RedisValueText::shown(entry.second)));
        }
    }
    m_more->setEnabled(!m_complete);
    updateSummary();
}

void RedisValueView::updateSummary()
{
    QString summary = u"<b>" + QString::fromUtf8(m_key).toHtmlEscaped() + u"</b> ("
        + inspect::redisKeyTypeName(m_type) + u')';
    if (m_type == RedisKeyType::String) {
        if (m_totalLength >= 0)
            summary += tr(", %1 bytes").arg(m_totalLength);
        if (m_totalLength > m_text->toPlainText().size() && !m_waiting)
            summary += tr(" — first %1 bytes shown").arg(kMaxStringShown);
    } else if (m_totalLength >= 0) {
        summary += tr(": %1 of %2 shown").arg(m_table->rowCount()).arg(m_totalLength);
    }
    if (m_waiting)
        summary += tr(" — loading…");
    if (!m_error.isEmpty())
        summary += u"<br><font color=\"#c62828\">" + m_error.toHtmlEscaped() + u"</font>";
    m_summary->setText(summary);
}

int RedisValueView::entriesShown() const
{
    return m_type == RedisKeyType::String ? (m_text->toPlainText().isEmpty() ? 0 : 1) : m_table->rowCount();
}

QString RedisValueView::text() const
{
    return m_text->toPlainText();
}

QString RedisValueView::prettyJson(const QByteArray &text)
{
    return inspect::RedisValueText::prettyJson(text);
}

} // namespace sb::ui
