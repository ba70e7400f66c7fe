// libFuzzer target for FaultRequest (the devcluster control endpoint's body, a --demo-script
// step, `switchboard fault` arguments). Input: the body. Checks that parsing never crashes,
// that a refusal says why on one line, and that an accepted request reads back the same.
#include "protocol/FaultRequest.h"

#include <cstdint>
#include <cstdlib>

using namespace sb::protocol;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body(reinterpret_cast<const char *>(data), qsizetype(size));
    QString error;
    const auto request = FaultRequest::fromJson(body, &error);
    if (!request) {
        if (error.isEmpty())
            std::abort();
        return 0;
    }
    QString again;
    const auto reparsed = FaultRequest::parse(request->name(), request->args(), &again);
    if (!reparsed || reparsed->toJson() != request->toJson())
        std::abort();
    const QStringList words = QString::fromUtf8(body).split(QLatin1Char(' '));
    FaultRequest::argsFromWords(request->name(), words, &error);
    return 0;
}
