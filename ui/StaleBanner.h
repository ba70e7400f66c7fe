#pragma once

#include "models/Freshness.h"
#include "ui/StaleOverlay.h"

#include <QLabel>
#include <QList>
#include <QPointer>

namespace sb::ui {

// The line over an area's content while its source does not answer: what stopped
// answering, since when and why, and how old the picture below is. Meanwhile the widgets
// it covers are greyed (a StaleOverlay veils each; they stay scrollable and selectable), so
// no figure passes for live. Hidden while the source answers.
//
// Header-only, as is StaleOverlay: one more .cpp in sb_ui moves TrafficView.cpp to the
// start of its own unity batch, where its `class QSplitter *m_split` (declared inside
// namespace sb::ui) no longer finds ::QSplitter and the layer stops compiling.
class StaleBanner : public QLabel
{
public:
    // `source` names what stopped answering in the sentence, e.g. "Redis".
    explicit StaleBanner(const QString &source, QWidget *parent = nullptr)
        : QLabel(parent)
        , m_source(source)
    {
        setObjectName(QStringLiteral("staleBanner"));
        setWordWrap(true);
        setTextInteractionFlags(Qt::TextSelectableByMouse);
        setStyleSheet(QStringLiteral("QLabel { background: #e2e3e5; color: #41464b; padding: 3px; }"));
        hide();
    }

    // Greyed while stale.
    void cover(QWidget *widget)
    {
        m_covered.append(widget);
        if (m_freshness.stale)
            grey(true);
    }

    void setFreshness(const models::Freshness &freshness)
    {
        if (!freshness.stale && !m_freshness.stale) {
            m_freshness = freshness; // live, and was: only the time moved (no text to redo)
            return;
        }
        if (freshness == m_freshness)
            return;
        const bool wasStale = m_freshness.stale;
        m_freshness = freshness;
        setText(freshness.bannerText(m_source));
        setToolTip(freshness.stale
                ? QStringLiteral("The figures and tables below are the last ones read; they are "
                                 "greyed until %1 answers again.")
                      .arg(m_source)
                : QString());
        setVisible(freshness.stale);
        if (wasStale != freshness.stale)
            grey(freshness.stale);
    }

    const models::Freshness &freshness() const { return m_freshness; }

private:
    void grey(bool on)
    {
        for (const QPointer<QWidget> &veil : std::as_const(m_veils))
            delete veil.data(); // null if it went with its widget
        m_veils.clear();
        if (!on)
            return;
        for (const QPointer<QWidget> &widget : std::as_const(m_covered))
            if (widget)
                m_veils.append(new StaleOverlay(widget));
    }

    QString m_source;
    models::Freshness m_freshness;
    QList<QPointer<QWidget>> m_covered;
    QList<QPointer<QWidget>> m_veils;
};

} // namespace sb::ui
