#include "ui/TrafficSnapshotJson.h"

#include "models/SeriesHistory.h"
#include "models/TrafficModel.h"
#include "ui/TrafficDetailPane.h"

#include <QPointF>

namespace sb::ui {

using inspect::TapSourceStatus;
using models::TrafficModel;
using protocol::TrafficFrame;

QJsonArray trafficRowsJson(const TrafficModel &model, int maxRows, TrafficRowContent content)
{
    QJsonArray rows;
    const int count = model.rowCount();
    for (int row = qMax(0, count - maxRows); row < count; ++row) {
        const TrafficFrame *frame = model.frameAt(row);
        if (!frame)
            continue;
        QJsonObject json { { QStringLiteral("time"), TrafficModel::columnText(*frame, TrafficModel::Time) },
            { QStringLiteral("replica"), frame->source },
            { QStringLiteral("transport"), TrafficFrame::transportName(frame->transport) },
            { QStringLiteral("dir"), TrafficFrame::directionName(frame->direction) },
            { QStringLiteral("command"), frame->command },
            { QStringLiteral("destination"), frame->destination }, { QStringLiteral("user"), frame->user },
            { QStringLiteral("session"), frame->session }, { QStringLiteral("messageId"), frame->messageId },
            { QStringLiteral("bytes"), frame->bytes } };
        if (content == TrafficRowContent::Rendered) {
            QJsonObject headers;
            for (const auto &[name, value] : frame->headers())
                if (!headers.contains(name))
                    headers.insert(name, value);
            json.insert(QStringLiteral("headers"), headers);
            json.insert(QStringLiteral("body"),
                TrafficDetailPane::renderBody(frame->body, TrafficDetailPane::BodyView::Auto));
        }
        rows.append(json);
    }
    return rows;
}

QJsonArray tapSourcesJson(const QList<TapSourceStatus> &sources)
{
    QJsonArray array;
    for (const TapSourceStatus &source : sources)
        array.append(
            QJsonObject { { QStringLiteral("id"), source.id }, { QStringLiteral("kind"), source.kind },
                { QStringLiteral("state"), TapSourceStatus::stateName(source.state) },
                { QStringLiteral("detail"), source.detail }, { QStringLiteral("frames"), source.frames },
                { QStringLiteral("droppedByNode"), source.droppedBySource },
                { QStringLiteral("reconnects"), source.reconnects } });
    return array;
}

QJsonObject trafficCountsJson(
    const TrafficModel &model, qint64 droppedByConsole, const QList<TapSourceStatus> &sources)
{
    qint64 droppedByNodes = 0;
    for (const TapSourceStatus &source : sources)
        droppedByNodes += source.droppedBySource;
    const auto *buffer = model.buffer();
    return { { QStringLiteral("captured"), buffer->nextSeq() - 1 },
        { QStringLiteral("held"), buffer->size() }, { QStringLiteral("shown"), model.rowCount() },
        { QStringLiteral("droppedByConsole"), droppedByConsole },
        { QStringLiteral("droppedByNodes"), droppedByNodes },
        { QStringLiteral("agedOut"), buffer->evicted() },
        { QStringLiteral("bufferCapacity"), buffer->capacity() },
        { QStringLiteral("bufferBytes"), buffer->approximateBytes() },
        { QStringLiteral("bytesPerFrame"),
            buffer->isEmpty() ? 0 : buffer->approximateBytes() / buffer->size() } };
}

QJsonObject frameRatesJson(const models::SeriesHistory &rates)
{
    QJsonObject json;
    QList<QPointF> points;
    const qint64 latest = rates.latestMs();
    for (const QString &series : rates.seriesIds()) {
        rates.points(series, latest, latest, 1, &points);
        if (!points.isEmpty())
            json.insert(series, points.last().y());
    }
    rates.totalPoints(latest, latest, 1, &points);
    if (!points.isEmpty())
        json.insert(QStringLiteral("total"), points.last().y());
    return json;
}

} // namespace sb::ui
