// libFuzzer target for KafkaDeadLetterHeaders (the headers of a `*.DLT` record, from a
// cluster the console does not control). Input: header lines `name\x01value`, separated by
// '\n' (values may hold any other byte). Checks that decoding is total and bounded, that a
// redrivable origin names a legal topic that is not a dead-letter topic, that numbers read
// back are in range, and that redrive headers drop every dlt-* header and end with exactly
// one x-redriven-from.
#include "protocol/KafkaDeadLetterHeaders.h"

#include <cstdint>
#include <cstdlib>

using namespace sb::protocol;

namespace {

void check(bool condition)
{
    if (!condition)
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    KafkaDeadLetterHeaders::Headers headers;
    for (const QByteArray &line : input.split('\n')) {
        const qsizetype split = line.indexOf('\x01');
        if (split < 0)
            headers.append({ line, QByteArray() });
        else
            headers.append({ line.left(split), line.mid(split + 1) });
    }
    const KafkaDeadLetterOrigin origin = KafkaDeadLetterHeaders::decode(headers);
    check(origin.error.size() <= KafkaDeadLetterHeaders::kMaxErrorChars);
    check(origin.partition >= -1 && origin.offset >= -1);
    if (origin.isRedrivable()) {
        const QByteArray topic = origin.topic.toLatin1();
        check(KafkaDeadLetterHeaders::isLegalTopic(topic) && !topic.endsWith(".DLT"));
    }
    const auto out = KafkaDeadLetterHeaders::redriveHeaders(headers, "t.DLT", 1, 2);
    check(!out.isEmpty() && out.last().first == KafkaDeadLetterHeaders::RedrivenFrom
        && out.last().second == "t.DLT/1/2");
    for (qsizetype i = 0; i + 1 < out.size(); ++i)
        check(!out[i].first.startsWith("dlt-") && out[i].first != KafkaDeadLetterHeaders::RedrivenFrom);
    return 0;
}
