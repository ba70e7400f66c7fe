#include "ui/AreaView.h"

#include "models/Freshness.h"
#include "ui/SnapshotSource.h"

#include <QJsonArray>
#include <QLabel>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace sb::ui {

AreaView::AreaView(const QString &key, const EmptyState &emptyState, QWidget *parent)
    : QWidget(parent)
    , m_key(key)
    , m_emptyState(emptyState)
    , m_stack(new QStackedWidget(this))
{
    setObjectName(key + QStringLiteral("Area"));
    auto *emptyPage = new QWidget(m_stack);
    auto *emptyLayout = new QVBoxLayout(emptyPage);
    m_emptyLabel = new QLabel(emptyPage);
    m_emptyLabel->setObjectName(QStringLiteral("emptyStateLabel"));
    m_emptyLabel->setWordWrap(true);
    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_emptyLabel->setTextFormat(Qt::RichText);
    m_emptyLabel->setText(QStringLiteral("<h3>%1</h3><p>%2</p><p><i>%3</i></p>")
                              .arg(emptyState.title.toHtmlEscaped(), emptyState.whatItShows.toHtmlEscaped(),
                                  emptyState.howToAttach.toHtmlEscaped()));
    m_detailLabel = new QLabel(emptyPage);
    m_detailLabel->setWordWrap(true);
    m_detailLabel->setAlignment(Qt::AlignCenter);
    m_detailLabel->hide();
    emptyLayout->addStretch();
    emptyLayout->addWidget(m_emptyLabel);
    emptyLayout->addWidget(m_detailLabel);
    emptyLayout->addStretch();
    m_stack->addWidget(emptyPage);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);
}

void AreaView::setContent(QWidget *content)
{
    m_stack->addWidget(content);
    m_stack->setCurrentWidget(content);
}

void AreaView::setEmptyDetail(const QString &detail)
{
    m_detailLabel->setText(detail);
    m_detailLabel->setVisible(!detail.isEmpty());
}

bool AreaView::showsContent() const
{
    return m_stack->currentIndex() > 0;
}

QJsonObject AreaView::snapshotState(int maxTableRows, SnapshotPurpose purpose) const
{
    // Every area says how old its picture is ("asOf") and whether its source stopped
    // answering ("stale"); a view that does not know (or an empty area) has read nothing.
    const QJsonObject unknownAge = models::Freshness {}.toJson();
    if (showsContent()) {
        if (const auto *source = dynamic_cast<const SnapshotSource *>(m_stack->currentWidget())) {
            QJsonObject state = source->snapshotState(maxTableRows, purpose);
            for (auto it = unknownAge.begin(); it != unknownAge.end(); ++it)
                if (!state.contains(it.key()))
                    state.insert(it.key(), it.value());
            state.insert(QStringLiteral("showing"), QStringLiteral("content"));
            state.insert(QStringLiteral("title"), m_emptyState.title);
            if (!state.contains(QStringLiteral("message")))
                state.insert(QStringLiteral("message"), m_emptyState.whatItShows);
            return state;
        }
    }
    // An area without content reports exactly the words on screen, and no rows.
    QJsonObject state { { QStringLiteral("showing"),
                            showsContent() ? QStringLiteral("content") : QStringLiteral("empty") },
        { QStringLiteral("title"), m_emptyState.title },
        { QStringLiteral("message"), m_emptyState.whatItShows },
        { QStringLiteral("howToAttach"), m_emptyState.howToAttach },
        { QStringLiteral("detail"), m_detailLabel->text() }, { QStringLiteral("rows"), QJsonArray {} },
        { QStringLiteral("figures"), QJsonObject {} } };
    for (auto it = unknownAge.begin(); it != unknownAge.end(); ++it)
        state.insert(it.key(), it.value());
    return state;
}

} // namespace sb::ui
