#include "app/FaultControlAnswer.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace sb::app {

namespace {
constexpr int kMaxRetryAfterSeconds = 60;

// A non-200 answer: Busy for 503, else Refused with the endpoint's one-line error.
FaultControlAnswer refusal(int status, const QJsonObject &json, const QByteArray &retryAfter)
{
    FaultControlAnswer answer;
    answer.httpStatus = status;
    answer.kind = status == 503 ? FaultControlAnswer::Kind::Busy : FaultControlAnswer::Kind::Refused;
    answer.message = FaultControlAnswer::oneLine(
        json.value(QStringLiteral("error")).toString(QStringLiteral("HTTP %1").arg(status)));
    answer.eventId = json.value(QStringLiteral("event")).toInt();
    bool numeric = false;
    const int seconds = retryAfter.trimmed().toInt(&numeric);
    answer.retryAfterSeconds = numeric ? qBound(1, seconds, kMaxRetryAfterSeconds) : 1;
    return answer;
}

// The body as a JSON object; false when it is not one.
bool objectOf(const QByteArray &body, QJsonObject *object)
{
    QJsonParseError error {};
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return false;
    *object = document.object();
    return true;
}
} // namespace

QString FaultControlAnswer::oneLine(const QString &text)
{
    QString line = text.simplified();
    if (line.size() > kMaxMessageChars)
        line = line.left(kMaxMessageChars - 1) + u'…';
    return line;
}

FaultControlAnswer FaultControlAnswer::unreachable(const QString &why)
{
    FaultControlAnswer answer;
    answer.kind = Kind::Unreachable;
    answer.message = oneLine(why);
    return answer;
}

FaultControlAnswer FaultControlAnswer::badAnswer(int status, const QString &why)
{
    FaultControlAnswer answer;
    answer.kind = Kind::BadAnswer;
    answer.httpStatus = status;
    answer.message = oneLine(why);
    return answer;
}

FaultControlAnswer FaultControlAnswer::readFault(
    int status, const QByteArray &body, const QByteArray &retryAfter)
{
    QJsonObject json;
    const bool isObject = objectOf(body, &json);
    if (status != 200)
        return refusal(status, json, retryAfter);
    if (!isObject || !json.value(QStringLiteral("ok")).toBool()
        || !json.value(QStringLiteral("message")).isString())
        return badAnswer(status, QStringLiteral("HTTP 200 without {\"ok\": true, \"message\"}"));
    FaultControlAnswer answer;
    answer.kind = Kind::Done;
    answer.httpStatus = status;
    answer.message = oneLine(json.value(QStringLiteral("message")).toString());
    answer.eventId = json.value(QStringLiteral("event")).toInt();
    return answer;
}

FaultControlAnswer FaultControlAnswer::readEvents(
    int status, const QByteArray &body, const QByteArray &retryAfter)
{
    QJsonObject json;
    const bool isObject = objectOf(body, &json);
    if (status != 200)
        return refusal(status, json, retryAfter);
    if (!isObject || !json.value(QStringLiteral("events")).isArray())
        return badAnswer(status, QStringLiteral("HTTP 200 without {\"events\": [...]}"));
    FaultControlAnswer answer;
    answer.kind = Kind::Done;
    answer.httpStatus = status;
    answer.events = json.value(QStringLiteral("events")).toArray();
    return answer;
}

} // namespace sb::app
