#pragma once

#include <QByteArray>
#include <QDeadlineTimer>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>

namespace sb::testing {

// One private RabbitMQ broker with the Web-STOMP plugin, for a test: Debian's rabbitmq-server
// on loopback ports of its own (AMQP, Erlang distribution, epmd, Web-STOMP; no plain STOMP
// listener), with its own epmd, node name and directory, so it shares nothing with another
// broker on the machine.
// The server script runs as one process (RABBITMQ_ALLOW_INPUT makes it exec the VM instead
// of forking it; -noinput keeps the VM's shell off stdin), and epmd is our own foreground
// child rather than a daemon, so both are stopped by their pids, and die with the test if it
// dies first (PR_SET_PDEATHSIG).
//
// Ready means that Web-STOMP answered a STOMP CONNECT as RabbitMQ, not merely that its port
// accepted: during its boot (5-40 s here), a listener of another test could hold the port,
// and then the broker's own listener is never there. Its ports are taken below the kernel's
// ephemeral range, where neither another process's bind(0) nor an outgoing connection can
// take them in the meantime.
class RabbitMqBroker
{
public:
    RabbitMqBroker() = default;
    RabbitMqBroker(const RabbitMqBroker &) = delete;
    RabbitMqBroker &operator=(const RabbitMqBroker &) = delete;
    ~RabbitMqBroker();

    // rabbitmq-server and epmd, or why the test cannot run.
    static QString missing();

    // Starts, and waits until Web-STOMP answers or `deadline` expires. On failure,
    // errorString() says why, with describe().
    bool start(const QDeadlineTimer &deadline);
    // Whether the start failed because a port was taken: fresh ports may do.
    bool portClash() const { return m_portClash; }
    quint16 stompPort() const { return m_stompPort; }
    QString errorString() const { return m_error; }
    // For a failure message: whether the broker still runs (or how it ended), whether its
    // Web-STOMP port accepts, and the tail of its output (its log goes to stdout).
    QString describe();

private:
    bool configure(quint16 amqp);
    bool launch(quint16 amqp, quint16 dist, quint16 epmdPort);
    // Whether a STOMP CONNECT (guest/guest) on Web-STOMP gets RabbitMQ's CONNECTED; if not,
    // what came instead.
    bool answersAsRabbitMq(QString *lastAnswer) const;
    static bool accepts(quint16 port);
    bool fail(const QString &error);

    QTemporaryDir m_dir;
    QProcess m_epmd;
    QProcess m_broker;
    QByteArray m_output;
    quint16 m_stompPort = 0;
    QString m_error;
    bool m_launched = false;
    bool m_portClash = false;
};

} // namespace sb::testing
