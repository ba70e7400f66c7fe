// Nagle's algorithm off on the node's connections (TCP_NODELAY; --tcp-nagle turns it back on):
// a message that follows another reaches a client that delays its ACKs at once, not when the
// client's ACK of the first comes back (~40 ms on Linux). The subscriber here delays its ACKs
// as a client that has sent something itself does (TCP_QUICKACK off, set again before each
// message: Linux clears it whenever its delayed-ACK timer fires; each round first sends an
// ACK still pending, whose timer would otherwise cut the next delay short); the publisher's
// own socket has Nagle off, so only the node's side can hold the second message back.

#include "NodeTestSupport.h"
#include "support/TestMain.h"

#include <QElapsedTimer>
#include <QTcpSocket>
#include <QTest>

#include <limits>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

using namespace sb::testing;

namespace {

constexpr int kRounds = 5;
// Without Nagle the second message takes a loopback hop and a broadcast (a few ms, tens on a
// loaded machine at worst); with it, the client's delayed-ACK timer (40 ms at least on Linux).
constexpr qint64 kPromptMs = 20;
constexpr qint64 kHeldMs = 30;

bool setQuickAck(QTcpSocket &socket, int on)
{
    return ::setsockopt(int(socket.socketDescriptor()), IPPROTO_TCP, TCP_QUICKACK, &on, sizeof on) == 0;
}

// From now on the client's kernel ACKs a lone small segment only when its delayed-ACK timer
// fires; an ACK still pending from before goes now (TCP_QUICKACK on sends it at once), so
// no earlier timer cuts the next delay short.
bool delayAcksFromNow(QTcpSocket &socket)
{
    return setQuickAck(socket, 1) && setQuickAck(socket, 0);
}

bool delayAcks(QTcpSocket &socket)
{
    return setQuickAck(socket, 0);
}

QByteArray text(int round, const char *which)
{
    return QByteArray(which) + ' ' + QByteArray::number(round);
}

QByteArray sendFrame(const QByteArray &text)
{
    return stompFrame("SEND", { { "destination", "/app/channels.general" } }, "{\"text\":\"" + text + "\"}");
}

// The fastest of kRounds: how long after it was sent a message that follows another reached
// a subscriber that delays its ACKs (-1: a message did not arrive, or the ACKs could not be
// delayed).
qint64 fastestFollowingMessageMs(quint16 port)
{
    RawWebSocket bob;
    if (!subscribeToGeneral(bob, port, QStringLiteral("bob"), "s"))
        return -1;
    RawWebSocket alice;
    if (alice.open(port) != 101
        || !stompConnect(alice, login(port, QStringLiteral("alice"))).startsWith("CONNECTED"))
        return -1;
    alice.socket().setSocketOption(QAbstractSocket::LowDelayOption, 1);
    qint64 fastest = std::numeric_limits<qint64>::max();
    for (int round = 0; round < kRounds; ++round) {
        if (!delayAcksFromNow(bob.socket()))
            return -1;
        const QByteArray first = text(round, "first");
        alice.sendText(sendFrame(first));
        if (!bob.read().payload.contains(first))
            return -1;
        // The first is read and not yet acknowledged: with Nagle on, the node holds the next.
        if (!delayAcks(bob.socket()))
            return -1;
        const QByteArray second = text(round, "second");
        QElapsedTimer sent;
        sent.start();
        alice.sendText(sendFrame(second));
        if (!bob.read().payload.contains(second))
            return -1;
        fastest = qMin(fastest, sent.elapsed());
    }
    return fastest;
}

} // namespace

class TestNodeNagle : public QObject
{
    Q_OBJECT
private slots:
    void aFollowingMessageIsNotHeldForTheClientsAck();
    void withTcpNagleItIs();
};

void TestNodeNagle::aFollowingMessageIsNotHeldForTheClientsAck()
{
    NodeProcess node;
    QVERIFY2(node.start({}), qPrintable(node.errorString()));
    QTRY_VERIFY_WITH_TIMEOUT(node.standardError().contains("Nagle off (TCP_NODELAY)"), 5000);
    const qint64 fastest = fastestFollowingMessageMs(node.port());
    QVERIFY2(fastest >= 0, "a message did not arrive, or TCP_QUICKACK could not be set");
    qInfo("fastest following message: %lld ms", fastest);
    QVERIFY2(fastest < kPromptMs, qPrintable(QStringLiteral("%1 ms").arg(fastest)));
}

void TestNodeNagle::withTcpNagleItIs()
{
    // The test's own check: the same client sees the hold when the node leaves Nagle on.
    NodeProcess node;
    QVERIFY2(node.start({ QStringLiteral("--tcp-nagle") }), qPrintable(node.errorString()));
    QTRY_VERIFY_WITH_TIMEOUT(node.standardError().contains("Nagle on (--tcp-nagle)"), 5000);
    const qint64 fastest = fastestFollowingMessageMs(node.port());
    QVERIFY2(fastest >= 0, "a message did not arrive, or TCP_QUICKACK could not be set");
    qInfo("fastest following message: %lld ms", fastest);
    QVERIFY2(fastest >= kHeldMs, qPrintable(QStringLiteral("%1 ms").arg(fastest)));
}

SB_TEST_GUILESS_MAIN(TestNodeNagle)
#include "tst_nodenagle.moc"
