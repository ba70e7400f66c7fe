#include "node/StaticPages.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>

// Outside any namespace, as Q_INIT_RESOURCE requires. The resource lives in the static
// library sb_node, whose initialiser the linker would otherwise drop: no symbol of it is used.
static void initChatResources()
{
    Q_INIT_RESOURCE(chat);
}

namespace sb::node {

namespace {
struct ChatPageFile
{
    QByteArray body;
    QByteArray contentType;
};

// Read once, on first use (thread-safe static init): a few KiB, served from memory.
const QHash<QString, ChatPageFile> &chatPageFiles()
{
    static const QHash<QString, ChatPageFile> table = [] {
        initChatResources();
        static const QHash<QString, QByteArray> types {
            { QStringLiteral("html"), QByteArrayLiteral("text/html; charset=utf-8") },
            { QStringLiteral("css"), QByteArrayLiteral("text/css; charset=utf-8") },
            { QStringLiteral("js"), QByteArrayLiteral("text/javascript; charset=utf-8") },
        };
        QHash<QString, ChatPageFile> loaded;
        const QDir folder(QStringLiteral(":/chat"));
        for (const QFileInfo &info : folder.entryInfoList(QDir::Files)) {
            QFile file(info.filePath());
            const QByteArray type = types.value(info.suffix());
            if (!type.isEmpty() && file.open(QIODevice::ReadOnly))
                loaded.insert(u'/' + info.fileName(), { file.readAll(), type });
        }
        return loaded;
    }();
    return table;
}
} // namespace

std::optional<protocol::HttpResponse> StaticPages::response(const QString &path)
{
    const auto &table = chatPageFiles();
    const auto it = table.constFind(path == u"/" ? QStringLiteral("/index.html") : path);
    if (it == table.cend())
        return std::nullopt;
    protocol::HttpResponse response(200);
    response.setBody(it->body, it->contentType);
    // The files change with the binary: a browser must not keep an old page against a new node.
    response.setHeader("Cache-Control", "no-cache");
    response.setHeader("X-Content-Type-Options", "nosniff");
    // Scripts and styles only from the replica itself; connections (fetch, WebSocket,
    // EventSource) to any replica, since the page moves to another when its own dies.
    response.setHeader("Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self' http: https: ws: wss:; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'none'");
    response.setHeader("Referrer-Policy", "no-referrer");
    return response;
}

} // namespace sb::node
