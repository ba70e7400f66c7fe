#include "ui/ReplayTrafficPane.h"

#include "models/TrafficBuffer.h"
#include "models/TrafficModel.h"
#include "ui/HistoryChart.h"
#include "ui/TrafficView.h"

#include <QLocale>
#include <QMap>

#include <algorithm>

namespace sb::ui {

ReplayTrafficPane::ReplayTrafficPane(
    QList<protocol::TrafficFrame> frames, qint64 omitted, const models::SeriesHistory *rates, QWidget *parent)
    : ReplayAreaPane({}, nullptr, QString(), parent)
    , m_frames(std::move(frames))
    , m_omitted(omitted)
    , m_buffer(std::make_unique<models::TrafficBuffer>(
          std::max<qsizetype>(models::TrafficBuffer::kDefaultCapacity, m_frames.size())))
    , m_model(std::make_unique<models::TrafficModel>(m_buffer.get()))
{
    m_view = new TrafficView(m_model.get(), rates, this);
    m_view->setObjectName(QStringLiteral("replayTrafficView"));
    m_view->setReplayOnly();
    addBody(m_view);
}

ReplayTrafficPane::~ReplayTrafficPane()
{
    delete m_view; // before the model it reads
    m_view = nullptr;
}

QString ReplayTrafficPane::bannerText(const QDateTime &at) const
{
    const QLocale locale;
    if (m_frames.isEmpty() && m_omitted == 0)
        return tr("RECORDING: no frames were captured in this recording's window");
    QString text = tr("RECORDING: %1 of %2 recorded frames, up to %3")
                       .arg(locale.toString(m_framesShown), locale.toString(m_frames.size()),
                           at.toLocalTime().toString(QStringLiteral("HH:mm:ss.zzz")));
    if (m_omitted > 0)
        text += tr(" · %1 older frames of the window were not saved").arg(locale.toString(m_omitted));
    return text;
}

QString ReplayTrafficPane::figuresAt(qint64 atMs) const
{
    const QLocale locale;
    if (m_frames.isEmpty())
        return tr("No recorded frames");
    // The frames in (at - window, at]: those shown, newest first, back to the window's start.
    QMap<QString, int> perReplica;
    int inWindow = 0;
    for (int i = m_framesShown - 1; i >= 0 && m_frames.at(i).tsMs > atMs - kRateWindowMs; --i) {
        ++perReplica[m_frames.at(i).source];
        ++inWindow;
    }
    const double seconds = double(kRateWindowMs) / 1000;
    QString line
        = tr("%1 frames up to %2 · %3 frames/s over the last %4 s")
              .arg(locale.toString(m_framesShown),
                  QDateTime::fromMSecsSinceEpoch(atMs).toLocalTime().toString(QStringLiteral("HH:mm:ss")),
                  locale.toString(inWindow / seconds, 'f', 1), locale.toString(int(seconds)));
    QStringList replicas;
    for (auto it = perReplica.cbegin(); it != perReplica.cend(); ++it)
        replicas << QStringLiteral("%1 %2").arg(it.key(), locale.toString(it.value() / seconds, 'f', 1));
    if (!replicas.isEmpty())
        line += QStringLiteral(" (") + replicas.join(QStringLiteral(", ")) + QLatin1Char(')');
    return line;
}

void ReplayTrafficPane::setPosition(const QDateTime &at)
{
    if (!at.isValid())
        return;
    const qint64 atMs = at.toMSecsSinceEpoch();
    const auto after = std::upper_bound(m_frames.cbegin(), m_frames.cend(), atMs,
        [](qint64 ms, const protocol::TrafficFrame &frame) { return ms < frame.tsMs; });
    const int upTo = int(after - m_frames.cbegin());
    if (upTo > m_framesShown) // forward (and playing): only the frames passed are added
        m_model->apply(m_frames.mid(m_framesShown, upTo - m_framesShown));
    else if (upTo < m_framesShown)
        m_model->replaceAll(m_frames.first(upTo));
    m_framesShown = upTo;
    setFiguresText(figuresAt(atMs));
    m_view->setBanner(bannerText(at), true);
    m_view->ratesChart()->setEndMs(atMs);
}

void ReplayTrafficPane::refreshChart()
{
    m_view->ratesChart()->refresh();
}

QJsonObject ReplayTrafficPane::snapshotState(int maxTableRows, SnapshotPurpose purpose) const
{
    QJsonObject state = ReplayAreaPane::snapshotState(maxTableRows, purpose);
    const QJsonObject shown = m_view->snapshotState(maxTableRows, purpose);
    for (const QString &key : { QStringLiteral("rows"), QStringLiteral("filter"), QStringLiteral("counts"),
             QStringLiteral("banner"), QStringLiteral("trace") }) {
        if (shown.contains(key))
            state.insert(key, shown.value(key));
    }
    state.insert(QStringLiteral("recordedFrames"), m_frames.size());
    state.insert(QStringLiteral("recordedFramesShown"), m_framesShown);
    return state;
}

} // namespace sb::ui
