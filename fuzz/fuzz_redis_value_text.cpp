// libFuzzer target for RedisValueText: how the Redis key browser shows a value, which is any
// bytes some client stored. Checks that shown() is the UTF-8 text when the bytes decode
// cleanly and otherwise printable ASCII only, each byte outside it as a four-character \xNN;
// that prettyJson() is empty unless the value is a JSON object or array, and then is one
// that parses again; and that stringValue() is the one or the other.
#include "inspect/RedisValueText.h"

#include <QJsonDocument>
#include <QJsonParseError>

#include <cstdint>
#include <cstdlib>

using sb::inspect::RedisValueText;

namespace {

void check(bool condition)
{
    if (!condition)
        std::abort();
}

void checkShown(const QByteArray &bytes, const QString &shown)
{
    const QString text = QString::fromUtf8(bytes);
    if (!text.contains(QChar::ReplacementCharacter)) {
        check(shown == text);
        return;
    }
    qsizetype expected = 0;
    for (const char c : bytes) {
        const auto u = static_cast<unsigned char>(c);
        expected += (u >= 0x20 && u < 0x7f) ? 1 : 4;
    }
    check(shown.size() == expected);
    for (const QChar ch : shown)
        check(ch.unicode() >= 0x20 && ch.unicode() < 0x7f);
}

void checkPrettyJson(const QByteArray &bytes, const QString &pretty)
{
    const QByteArray trimmed = bytes.trimmed();
    if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) {
        check(pretty.isEmpty());
        return;
    }
    if (pretty.isEmpty())
        return; // not JSON: shown as text
    QJsonParseError error;
    const QJsonDocument again = QJsonDocument::fromJson(pretty.toUtf8(), &error);
    check(error.error == QJsonParseError::NoError);
    check(again.isObject() == trimmed.startsWith('{') && again.isArray() == trimmed.startsWith('['));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const QString shown = RedisValueText::shown(bytes);
    checkShown(bytes, shown);
    const QString pretty = RedisValueText::prettyJson(bytes);
    checkPrettyJson(bytes, pretty);
    check(RedisValueText::stringValue(bytes) == (pretty.isEmpty() ? shown : pretty));
    return 0;
}
