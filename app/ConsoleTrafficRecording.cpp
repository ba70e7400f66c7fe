#include "app/ConsoleTrafficRecording.h"

#include "inspect/TrafficRecording.h"
#include "protocol/TapFrameCodec.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace sb::app {

QJsonObject ConsoleTrafficRecording::toJson() const
{
    QJsonArray encoded;
    for (const protocol::TrafficFrame &frame : frames)
        encoded.append(QJsonDocument::fromJson(protocol::TapFrameCodec::encode(frame)).object());
    return QJsonObject { { QStringLiteral("traffic"),
        QJsonObject { { QStringLiteral("format"), QString(inspect::TrafficRecording::kFormat) },
            { QStringLiteral("origin"), origin }, { QStringLiteral("from"), fromMs },
            { QStringLiteral("to"), toMs }, { QStringLiteral("frames"), encoded },
            { QStringLiteral("omitted"), omitted } } } };
}

} // namespace sb::app
