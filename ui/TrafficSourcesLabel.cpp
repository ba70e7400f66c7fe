#include "ui/TrafficSourcesLabel.h"

#include <QLocale>

namespace sb::ui {

using inspect::TapSourceStatus;

namespace {

QString tapStateColour(TapSourceStatus::State state)
{
    switch (state) {
    case TapSourceStatus::State::Live:
        return QStringLiteral("#2e7d32");
    case TapSourceStatus::State::Lagging:
        return QStringLiteral("#ef6c00");
    case TapSourceStatus::State::Connecting:
        return QStringLiteral("#757575");
    case TapSourceStatus::State::Refused:
    case TapSourceStatus::State::Down:
        return QStringLiteral("#c62828");
    case TapSourceStatus::State::Stopped:
        return QStringLiteral("#9e9e9e");
    }
    return {};
}

} // namespace

TrafficSourcesLabel::TrafficSourcesLabel(QWidget *parent)
    : QLabel(parent)
{
    setObjectName(QStringLiteral("trafficSources"));
    setWordWrap(true);
    setTextFormat(Qt::RichText);
    setSources({});
}

void TrafficSourcesLabel::setSources(const QList<TapSourceStatus> &sources)
{
    if (sources.isEmpty()) {
        setText(tr("No traffic source yet."));
        setToolTip({});
        return;
    }
    QStringList parts;
    QStringList tips;
    for (const TapSourceStatus &source : sources) {
        QString part = QStringLiteral("<span style='color:%1'>●</span> %2 %3")
                           .arg(tapStateColour(source.state), source.id.toHtmlEscaped(),
                               TapSourceStatus::stateName(source.state));
        if (source.droppedBySource > 0)
            part += tr(" (%1 dropped by the node)").arg(QLocale().toString(source.droppedBySource));
        parts.append(part);
        tips.append(QStringLiteral("%1 (%2): %3, since %4; %5 frames%6")
                        .arg(source.id, source.kind, TapSourceStatus::stateName(source.state),
                            source.since.toLocalTime().toString(QStringLiteral("HH:mm:ss")),
                            QLocale().toString(source.frames),
                            source.detail.isEmpty() ? QString() : QStringLiteral(" — ") + source.detail));
    }
    setText(parts.join(QStringLiteral(" &nbsp; ")));
    setToolTip(tips.join(u'\n'));
}

} // namespace sb::ui
