#include "NodeSession.h"

#include "BlockingHttp.h"

#include "protocol/NodeApi.h"
#include "protocol/PrometheusTextParser.h"

using namespace sb::protocol;

namespace NodeSession {

std::vector<std::string> demoTokens(const std::string &host, int port)
{
    std::vector<std::string> tokens;
    for (const char *user : { "alice", "bob", "carol", "admin" }) {
        const QString name = QString::fromLatin1(user);
        const QByteArray body = nodeapi::loginBody(name, name);
        const HttpAnswer answer = blockingHttp(host, port, "POST", nodeapi::LoginPath.data(),
            "Content-Type: application/json\r\n",
            std::string_view(body.constData(), std::size_t(body.size())));
        const QByteArray token
            = nodeapi::accessToken(QByteArrayView(answer.body.data(), qsizetype(answer.body.size())));
        if (answer.status != 200 || token.isEmpty())
            return {};
        tokens.emplace_back(token.constData(), std::size_t(token.size()));
    }
    return tokens;
}

std::optional<double> slowConsumerDrops(const std::string &host, int port)
{
    const HttpAnswer answer = blockingHttp(host, port, "GET", nodeapi::MetricsPath.data(), "", "");
    if (answer.status != 200)
        return std::nullopt;
    const auto parsed
        = PrometheusTextParser::parse(QByteArrayView(answer.body.data(), qsizetype(answer.body.size())));
    double drops = 0;
    for (const auto &sample : parsed.samples)
        if (sample.name == "sb_dropped_total" && sample.label("reason") == QStringLiteral("slow_consumer"))
            drops += sample.value;
    return drops;
}

} // namespace NodeSession
