#pragma once

#include "inspect/RedisValuePage.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QStackedWidget;
class QTableWidget;

namespace sb::ui {

// The value viewer beside the key table: a string as text (pretty-printed when it parses
// as JSON), a collection as a table filled a page at a time ("Load more" asks for the
// next page from where the last one ended). Pages of a key the user has left are ignored.
class RedisValueView : public QWidget
{
    Q_OBJECT

public:
    explicit RedisValueView(QWidget *parent = nullptr);

    // Shows `key` and asks for its first page through pageRequested().
    void showKey(const QByteArray &key, inspect::RedisKeyType type);
    void clear();
    void showPage(const inspect::RedisValuePage &page);

    QByteArray key() const { return m_key; }
    int entriesShown() const;
    bool isComplete() const { return m_complete; }
    QString text() const;
    // Pretty-printed JSON if `text` is a JSON object or array, else empty.
    static QString prettyJson(const QByteArray &text);

    void requestMore();

Q_SIGNALS:
    void pageRequested(const sb::inspect::RedisValueRequest &request);

private:
    void setColumns(inspect::RedisKeyType type);
    void updateSummary();

    QByteArray m_key;
    inspect::RedisKeyType m_type = inspect::RedisKeyType::Unknown;
    quint64 m_requestId = 0;
    QByteArray m_nextCursor;
    bool m_complete = true;
    bool m_waiting = false;
    qint64 m_totalLength = -1;
    QString m_error;
    QLabel *m_summary;
    QStackedWidget *m_stack;
    QPlainTextEdit *m_text;
    QTableWidget *m_table;
    QPushButton *m_more;
};

} // namespace sb::ui
