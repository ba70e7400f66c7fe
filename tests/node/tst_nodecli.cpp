// The `switchboard node` command line as an operator meets it (docs/protocol.md, "Limits" and
// "Users"): the one `listening` line on stdout and exit 0 on SIGTERM; every option from the
// command line, an SB_<OPTION> environment variable or a --config file, in that order of
// precedence; unknown config keys refused with exit 2; --help naming options, env names and
// defaults; `node hash-password` producing a hash a --users file accepts; --demo-users
// refused off loopback. Every child is the real binary ($SB_BINARY), killed by pid.

#include "NodeTestSupport.h"
#include "support/TestMain.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <memory>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

using namespace sb::testing;

namespace {

// One `switchboard <args>` child with a controlled SB_* environment (every inherited SB_
// variable is removed, so CTest's SB_BINARY and the caller's shell cannot leak options in).
class CliChild
{
public:
    explicit CliChild(const QHash<QString, QString> &env = {})
    {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        for (const QString &key : environment.keys())
            if (key.startsWith(QStringLiteral("SB_")))
                environment.remove(key);
        for (auto it = env.cbegin(); it != env.cend(); ++it)
            environment.insert(it.key(), it.value());
        m_process.setProcessEnvironment(environment);
    }
    ~CliChild()
    {
        if (m_process.state() != QProcess::NotRunning) {
            ::kill(pid_t(m_process.processId()), SIGKILL);
            m_process.waitForFinished(5000);
        }
    }
    CliChild(const CliChild &) = delete;
    CliChild &operator=(const CliChild &) = delete;

    bool start(const QStringList &args)
    {
        const QString binary = qEnvironmentVariable("SB_BINARY");
        if (binary.isEmpty()) {
            m_error = QStringLiteral("SB_BINARY is not set (CTest sets it to the switchboard binary)");
            return false;
        }
        m_process.setProgram(binary);
        m_process.setArguments(args);
        m_process.start();
        if (!m_process.waitForStarted(5000)) {
            m_error = QStringLiteral("cannot start %1: %2").arg(binary, m_process.errorString());
            return false;
        }
        return true;
    }

    // Waits (bounded) for the `listening http://127.0.0.1:PORT` line; 0 when it never comes.
    quint16 waitForListening(int timeoutMs = 15000)
    {
        static const QRegularExpression line(QStringLiteral("listening http://127\\.0\\.0\\.1:(\\d+)\n"));
        const QDeadlineTimer deadline(timeoutMs);
        while (!deadline.hasExpired()) {
            collect();
            const auto match = line.match(QString::fromUtf8(m_stdout));
            if (match.hasMatch())
                return quint16(match.captured(1).toUInt());
            if (m_process.state() != QProcess::Running)
                break;
            m_process.waitForReadyRead(int(qBound<qint64>(1, deadline.remainingTime(), qint64(100))));
        }
        collect();
        m_error = QStringLiteral("no 'listening' line (stdout '%1', stderr '%2')")
                      .arg(QString::fromUtf8(m_stdout), QString::fromUtf8(m_stderr));
        return 0;
    }

    // Closes stdin after writing `input` (for hash-password).
    void feedStdin(const QByteArray &input)
    {
        m_process.write(input);
        m_process.closeWriteChannel();
    }

    // Waits for the exit; false on timeout. Output read so far stays in stdOut()/stdErr().
    bool waitForExit(int timeoutMs)
    {
        const bool done = m_process.state() == QProcess::NotRunning || m_process.waitForFinished(timeoutMs);
        collect();
        return done;
    }
    void sigterm() { ::kill(pid_t(m_process.processId()), SIGTERM); }
    qint64 processId() const { return m_process.processId(); }
    bool normalExit() const { return m_process.exitStatus() == QProcess::NormalExit; }
    int exitCode() const { return m_process.exitCode(); }
    QByteArray stdOut()
    {
        collect();
        return m_stdout;
    }
    QByteArray stdErr()
    {
        collect();
        return m_stderr;
    }
    QString errorString() const { return m_error; }
    QString describe()
    {
        collect();
        return QStringLiteral("exit %1 (%2), stdout '%3', stderr '%4'")
            .arg(m_process.exitCode())
            .arg(m_process.exitStatus() == QProcess::NormalExit ? QStringLiteral("normal")
                                                                : QStringLiteral("crash"))
            .arg(QString::fromUtf8(m_stdout), QString::fromUtf8(m_stderr));
    }

private:
    void collect()
    {
        m_stdout += m_process.readAllStandardOutput();
        m_stderr += m_process.readAllStandardError();
    }

    QProcess m_process;
    QByteArray m_stdout;
    QByteArray m_stderr;
    QString m_error;
};

// Runs a child to completion (for --help, hash-password, refused configurations).
struct Finished
{
    bool exited = false;
    bool normal = false;
    int code = -1;
    QByteArray out;
    QByteArray err;
};

Finished runToExit(const QStringList &args, const QHash<QString, QString> &env = {},
    const QByteArray *input = nullptr, int timeoutMs = 15000)
{
    CliChild child(env);
    Finished result;
    if (!child.start(args))
        return result;
    if (input)
        child.feedStdin(*input);
    result.exited = child.waitForExit(timeoutMs);
    result.normal = child.normalExit();
    result.code = child.exitCode();
    result.out = child.stdOut();
    result.err = child.stdErr();
    return result;
}

QByteArray describe(const Finished &f)
{
    return "exited " + QByteArray(f.exited ? "yes" : "no") + ", code " + QByteArray::number(f.code)
        + ", stdout '" + f.out + "', stderr '" + f.err + "'";
}

// CONNECT as alice with heart-beat 1,1 so the CONNECTED header shows the node's offer.
QByteArray connectedHeartBeat(quint16 port)
{
    const QByteArray token = login(port, QStringLiteral("alice"));
    if (token.isEmpty())
        return "login failed";
    RawWebSocket ws;
    if (ws.open(port) != 101)
        return "no upgrade";
    const QByteArray connected = stompConnect(ws, token, "1000,1000");
    if (!connected.startsWith("CONNECTED"))
        return "no CONNECTED: " + connected;
    return stompHeader(connected, "heart-beat");
}

// How many SUBSCRIBEs one session gets before the ERROR; -1 if none within `tries`.
int subscriptionsAccepted(quint16 port, int tries)
{
    RawWebSocket ws;
    if (ws.open(port) != 101
        || !stompConnect(ws, login(port, QStringLiteral("alice"))).startsWith("CONNECTED"))
        return -2;
    for (int i = 1; i <= tries; ++i) {
        const QByteArray id = QByteArray::number(i);
        ws.sendText(stompFrame("SUBSCRIBE",
            { { "id", id }, { "destination", "/topic/channels.general" }, { "receipt", "r" + id } }));
        RawWebSocket::Message message;
        do {
            message = ws.read(5000);
        } while (message.opcode == 1 && message.payload.trimmed().isEmpty());
        if (message.payload.startsWith("ERROR"))
            return stompHeader(message.payload, "message").contains("too many subscriptions") ? i - 1 : -3;
        if (!message.payload.startsWith("RECEIPT"))
            return -4;
    }
    return -1;
}

bool writeFile(const QString &path, const QByteArray &contents)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return file.write(contents) == contents.size();
}

int loginStatus(quint16 port, const QString &user, const QString &password, QByteArray *token = nullptr)
{
    const QByteArray body = QJsonDocument(
        QJsonObject { { QStringLiteral("username"), user },
            { QStringLiteral("password"),
                password } }).toJson(QJsonDocument::Compact);
    const HttpResult result = httpPost(port, "/api/auth/login", body);
    if (token && result.status == 200)
        *token = QJsonDocument::fromJson(result.body)
                     .object()
                     .value(QStringLiteral("accessToken"))
                     .toString()
                     .toUtf8();
    return result.status;
}

} // namespace

class TestNodeCli : public QObject
{
    Q_OBJECT
private slots:
    void printsOnlyTheListeningLineAndSigtermExitsZero();
    void optionsFromTheEnvironment();
    void optionsFromAConfigFile();
    void commandLineBeatsEnvironmentBeatsFile();
    void unknownConfigKeyExitsTwoNamingIt();
    void helpListsOptionsEnvNamesAndDefaults();
    void hashPasswordMakesAUsableUsersFile();
    void demoUsersRefusedOffLoopback();
    void aFatalSignalIsReportedWithItsStack();
};

void TestNodeCli::printsOnlyTheListeningLineAndSigtermExitsZero()
{
    CliChild node;
    QVERIFY2(node.start({ QStringLiteral("node"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                 QStringLiteral("--demo-users") }),
        qPrintable(node.errorString()));
    const quint16 port = node.waitForListening();
    QVERIFY2(port != 0, qPrintable(node.errorString()));
    // It really serves there, including a login and a STOMP session (which log to stderr).
    QCOMPARE(httpGet(port, "/healthz/live").status, 200);
    RawWebSocket ws;
    QCOMPARE(ws.open(port), 101);
    QVERIFY(stompConnect(ws, login(port, QStringLiteral("bob"))).startsWith("CONNECTED"));
    ws.socket().abort();

    node.sigterm();
    QVERIFY2(node.waitForExit(15000), qPrintable(node.describe()));
    QVERIFY2(node.normalExit(), qPrintable(node.describe()));
    QCOMPARE(node.exitCode(), 0);
    // Exactly one line on stdout, and nothing else: logs and warnings belong on stderr.
    QCOMPARE(node.stdOut(), QByteArray("listening http://127.0.0.1:" + QByteArray::number(port) + '\n'));
}

void TestNodeCli::optionsFromTheEnvironment()
{
    CliChild node({ { QStringLiteral("SB_HEARTBEAT_MS"), QStringLiteral("1500") },
        { QStringLiteral("SB_LIMIT_SUBSCRIPTIONS"), QStringLiteral("2") } });
    QVERIFY(node.start({ QStringLiteral("node"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
        QStringLiteral("--demo-users") }));
    const quint16 port = node.waitForListening();
    QVERIFY2(port != 0, qPrintable(node.errorString()));
    QCOMPARE(connectedHeartBeat(port), QByteArray("1500,1500"));
    QCOMPARE(subscriptionsAccepted(port, 5), 2);

    // The listen address and the demo-users flag come from the environment as well.
    CliChild envOnly({ { QStringLiteral("SB_LISTEN"), QStringLiteral("127.0.0.1:0") },
        { QStringLiteral("SB_DEMO_USERS"), QStringLiteral("1") } });
    QVERIFY(envOnly.start({ QStringLiteral("node") }));
    const quint16 envPort = envOnly.waitForListening();
    QVERIFY2(envPort != 0, qPrintable(envOnly.errorString()));
    QVERIFY(!login(envPort, QStringLiteral("carol")).isEmpty());
    QCOMPARE(connectedHeartBeat(envPort), QByteArray("10000,10000"));
}

void TestNodeCli::optionsFromAConfigFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString config = dir.filePath(QStringLiteral("node.conf"));
    QVERIFY(writeFile(config,
        "# a switchboard node\n"
        "\n"
        "listen = 127.0.0.1:0\n"
        "demo-users = true\n"
        "   heartbeat-ms   =   2500   \n"
        "limit-subscriptions = 3\n"));
    {
        CliChild node;
        QVERIFY(node.start({ QStringLiteral("node"), QStringLiteral("--config"), config }));
        const quint16 port = node.waitForListening();
        QVERIFY2(port != 0, qPrintable(node.errorString()));
        QCOMPARE(connectedHeartBeat(port), QByteArray("2500,2500"));
        QCOMPARE(subscriptionsAccepted(port, 6), 3);
    }
    // SB_CONFIG names the file too.
    CliChild viaEnv({ { QStringLiteral("SB_CONFIG"), config } });
    QVERIFY(viaEnv.start({ QStringLiteral("node") }));
    const quint16 port = viaEnv.waitForListening();
    QVERIFY2(port != 0, qPrintable(viaEnv.errorString()));
    QCOMPARE(connectedHeartBeat(port), QByteArray("2500,2500"));
}

void TestNodeCli::commandLineBeatsEnvironmentBeatsFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString config = dir.filePath(QStringLiteral("node.conf"));
    QVERIFY(writeFile(config, "heartbeat-ms = 2500\nlimit-subscriptions = 3\n"));
    const QStringList base { QStringLiteral("node"), QStringLiteral("--listen"),
        QStringLiteral("127.0.0.1:0"), QStringLiteral("--demo-users"), QStringLiteral("--config"), config };

    // Environment over file: the heart-beat from SB_HEARTBEAT_MS, the limit from the file.
    {
        CliChild node({ { QStringLiteral("SB_HEARTBEAT_MS"), QStringLiteral("1500") } });
        QVERIFY(node.start(base));
        const quint16 port = node.waitForListening();
        QVERIFY2(port != 0, qPrintable(node.errorString()));
        QCOMPARE(connectedHeartBeat(port), QByteArray("1500,1500"));
        QCOMPARE(subscriptionsAccepted(port, 6), 3);
    }
    // Command line over both.
    CliChild node({ { QStringLiteral("SB_HEARTBEAT_MS"), QStringLiteral("1500") },
        { QStringLiteral("SB_LIMIT_SUBSCRIPTIONS"), QStringLiteral("4") } });
    QVERIFY(node.start(base
        + QStringList { QStringLiteral("--heartbeat-ms"), QStringLiteral("3500"),
            QStringLiteral("--limit-subscriptions"), QStringLiteral("1") }));
    const quint16 port = node.waitForListening();
    QVERIFY2(port != 0, qPrintable(node.errorString()));
    QCOMPARE(connectedHeartBeat(port), QByteArray("3500,3500"));
    QCOMPARE(subscriptionsAccepted(port, 6), 1);
}

void TestNodeCli::unknownConfigKeyExitsTwoNamingIt()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString config = dir.filePath(QStringLiteral("node.conf"));
    QVERIFY(writeFile(config, "heartbeat-ms = 1000\nlisten = 127.0.0.1:0\nno-such-option = 7\n"));
    const Finished f = runToExit(
        { QStringLiteral("node"), QStringLiteral("--demo-users"), QStringLiteral("--config"), config });
    QVERIFY2(f.exited && f.normal, describe(f).constData());
    QCOMPARE(f.code, 2);
    QVERIFY2(!f.out.contains("listening"), describe(f).constData());
    QCOMPARE(f.out, QByteArray());
    // One line, naming the key.
    QVERIFY2(f.err.endsWith('\n') && f.err.count('\n') == 1, describe(f).constData());
    QVERIFY2(f.err.contains("no-such-option"), describe(f).constData());
}

void TestNodeCli::helpListsOptionsEnvNamesAndDefaults()
{
    const Finished f = runToExit({ QStringLiteral("node"), QStringLiteral("--help") });
    QVERIFY2(f.exited && f.normal, describe(f).constData());
    QCOMPARE(f.code, 0);
    const QString help = QString::fromUtf8(f.out);

    // Split the help into one entry per option (an entry starts on a line whose first
    // non-blank character is '-'; wrapped description lines continue it).
    QHash<QString, QString> entries;
    QString current;
    static const QRegularExpression optionName(QStringLiteral("--([a-z0-9-]+)"));
    for (const QString &line : help.split(u'\n')) {
        const QString trimmed = line.trimmed();
        if (trimmed.startsWith(u'-')) {
            // "-h, --help" or "--listen <HOST:PORT>": the long name is the first --word.
            const auto match = optionName.match(trimmed);
            current = match.hasMatch() ? match.captured(1) : QString();
            if (!current.isEmpty())
                entries.insert(current, trimmed);
        } else if (!current.isEmpty() && !trimmed.isEmpty() && line.startsWith(u' ')) {
            entries[current] += u' ' + trimmed;
        } else {
            current.clear();
        }
    }

    // Options and defaults as docs/protocol.md states them.
    const QList<QPair<QString, QString>> expected {
        { QStringLiteral("config"), {} },
        { QStringLiteral("listen"), QStringLiteral("127.0.0.1:8080") },
        { QStringLiteral("users"), {} },
        { QStringLiteral("demo-users"), {} },
        { QStringLiteral("tcp-nagle"), {} },
        { QStringLiteral("jwt-secret-file"), {} },
        { QStringLiteral("grace-seconds"), QStringLiteral("30") },
        { QStringLiteral("drain-min-seconds"), QStringLiteral("3") },
        { QStringLiteral("presence-lease-seconds"), QStringLiteral("5") },
        { QStringLiteral("heartbeat-ms"), QStringLiteral("10000") },
        { QStringLiteral("sse-lifetime-seconds"), QStringLiteral("300") },
        { QStringLiteral("sse-comment-seconds"), QStringLiteral("15") },
        { QStringLiteral("kafka-session-timeout-ms"), QStringLiteral("10000") },
        { QStringLiteral("catch-up-max-held"), QStringLiteral("100000") },
        { QStringLiteral("bus-bridge-order-wait-ms"), QStringLiteral("0") },
        { QStringLiteral("limit-frame-bytes"), QStringLiteral("65536") },
        { QStringLiteral("limit-headers"), QStringLiteral("64") },
        { QStringLiteral("limit-subscriptions"), QStringLiteral("100") },
        { QStringLiteral("limit-connections"), QStringLiteral("10000") },
        { QStringLiteral("limit-connections-per-address"), QStringLiteral("256") },
        { QStringLiteral("limit-connections-exempt-loopback"), {} },
        { QStringLiteral("limit-close-linger-ms"), QStringLiteral("2000") },
        { QStringLiteral("limit-listen-backlog"), QStringLiteral("4096") },
        { QStringLiteral("auth-fail-open-seconds"), QStringLiteral("0") },
        { QStringLiteral("limit-sse-per-user"), QStringLiteral("5") },
        { QStringLiteral("limit-outbound-bytes"), QStringLiteral("1048576") },
        { QStringLiteral("limit-http-header-bytes"), QStringLiteral("16384") },
        { QStringLiteral("limit-http-header-timeout-ms"), QStringLiteral("10000") },
        { QStringLiteral("limit-http-idle-timeout-ms"), QStringLiteral("60000") },
        { QStringLiteral("limit-ws-frame-timeout-ms"), QStringLiteral("5000") },
        { QStringLiteral("limit-logins-per-user"), QStringLiteral("10") },
        { QStringLiteral("limit-logins-per-address"), QStringLiteral("30") },
        { QStringLiteral("tap-body-bytes"), QStringLiteral("512") },
    };
    for (const auto &[option, defaultValue] : expected) {
        QVERIFY2(entries.contains(option),
            qPrintable(QStringLiteral("--%1 missing from --help:\n%2").arg(option, help)));
        const QString entry = entries.value(option);
        const QString env = QStringLiteral("SB_") + option.toUpper().replace(u'-', u'_');
        QVERIFY2(entry.contains(env),
            qPrintable(QStringLiteral("--%1 does not name %2: '%3'").arg(option, env, entry)));
        if (!defaultValue.isEmpty())
            QVERIFY2(entry.contains(QStringLiteral("default ") + defaultValue),
                qPrintable(QStringLiteral("--%1 does not show the default %2: '%3'")
                               .arg(option, defaultValue, entry)));
    }
    QVERIFY2(help.contains(QStringLiteral("hash-password")), qPrintable(help));
}

void TestNodeCli::hashPasswordMakesAUsableUsersFile()
{
    const QByteArray password = "correct horse battery staple";
    const QByteArray input = password + '\n';
    const Finished hashed
        = runToExit({ QStringLiteral("node"), QStringLiteral("hash-password") }, {}, &input);
    QVERIFY2(hashed.exited && hashed.normal, describe(hashed).constData());
    QCOMPARE(hashed.code, 0);
    static const QRegularExpression format(
        QStringLiteral("^pbkdf2-sha256\\$\\d+\\$[A-Za-z0-9+/=_-]+\\$[A-Za-z0-9+/=_-]+\n$"));
    QVERIFY2(format.match(QString::fromUtf8(hashed.out)).hasMatch(), describe(hashed).constData());
    QVERIFY2(!hashed.out.contains(password), "the hash must not contain the password");
    const QString hash = QString::fromUtf8(hashed.out).trimmed();

    // Salted: the same password hashes differently each time.
    const Finished again = runToExit({ QStringLiteral("node"), QStringLiteral("hash-password") }, {}, &input);
    QCOMPARE(again.code, 0);
    QVERIFY(QString::fromUtf8(again.out).trimmed() != hash);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString usersFile = dir.filePath(QStringLiteral("users.json"));
    const QJsonObject dave { { QStringLiteral("name"), QStringLiteral("dave") },
        { QStringLiteral("passwordHash"), hash },
        { QStringLiteral("roles"), QJsonArray { QStringLiteral("ROLE_USER") } },
        { QStringLiteral("channels"), QJsonArray { QStringLiteral("general") } } };
    QVERIFY(writeFile(
        usersFile, QJsonDocument(QJsonObject { { QStringLiteral("users"), QJsonArray { dave } } }).toJson()));

    CliChild node;
    QVERIFY(node.start({ QStringLiteral("node"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
        QStringLiteral("--users"), usersFile }));
    const quint16 port = node.waitForListening();
    QVERIFY2(port != 0, qPrintable(node.errorString()));

    QByteArray token;
    QCOMPARE(loginStatus(port, QStringLiteral("dave"), QString::fromUtf8(password), &token), 200);
    QVERIFY(!token.isEmpty());
    QCOMPARE(loginStatus(port, QStringLiteral("dave"), QStringLiteral("correct horse battery stapler")), 401);
    QCOMPARE(loginStatus(port, QStringLiteral("dave"), QStringLiteral("wrong")), 401);
    // No demo users without --demo-users.
    QCOMPARE(loginStatus(port, QStringLiteral("alice"), QStringLiteral("alice")), 401);

    // The token is dave's, with the file's channels.
    RawWebSocket ws;
    QCOMPARE(ws.open(port), 101);
    const QByteArray connected = stompConnect(ws, token);
    QVERIFY2(connected.startsWith("CONNECTED"), connected.constData());
    QCOMPARE(stompHeader(connected, "user-name"), QByteArray("dave"));
    ws.sendText(stompFrame(
        "SUBSCRIBE", { { "id", "1" }, { "destination", "/topic/channels.general" }, { "receipt", "ok" } }));
    RawWebSocket::Message message;
    do {
        message = ws.read(5000);
    } while (message.opcode == 1 && message.payload.trimmed().isEmpty());
    QVERIFY2(message.payload.startsWith("RECEIPT"), message.payload.constData());
}

void TestNodeCli::demoUsersRefusedOffLoopback()
{
    CliChild node;
    QVERIFY(node.start({ QStringLiteral("node"), QStringLiteral("--listen"), QStringLiteral("0.0.0.0:0"),
        QStringLiteral("--demo-users") }));
    // Whatever happens, the child is killed by pid in ~CliChild if it is still running.
    QVERIFY2(node.waitForExit(15000), qPrintable(QStringLiteral("still running: ") + node.describe()));
    QVERIFY2(node.normalExit(), qPrintable(node.describe()));
    QVERIFY2(node.exitCode() != 0, qPrintable(node.describe()));
    QVERIFY2(!node.stdOut().contains("listening"), qPrintable(node.describe()));
    QVERIFY2(node.stdErr().contains("loopback"), qPrintable(node.describe()));
    QVERIFY2(node.stdErr().contains("--demo-users"), qPrintable(node.describe()));
}

SB_TEST_GUILESS_MAIN(TestNodeCli)

// A replica that dies of SIGABRT (what glibc's heap check raises on a corrupt chunk) first
// says which signal, in which thread, and its stack with function names, then dies of that
// signal: the parent sees the crash, and a CI log shows where it happened.
void TestNodeCli::aFatalSignalIsReportedWithItsStack()
{
    CliChild node;
    QVERIFY2(node.start({ QStringLiteral("node"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                 QStringLiteral("--demo-users") }),
        qPrintable(node.errorString()));
    QVERIFY2(node.waitForListening() != 0, qPrintable(node.errorString()));
    // To the main thread itself (its thread id is the process id), whose stack is known.
    const pid_t pid = pid_t(node.processId());
    QCOMPARE(::syscall(SYS_tgkill, pid, pid, SIGABRT), 0L);
    QVERIFY2(node.waitForExit(15000), qPrintable(node.describe()));
    QVERIFY2(!node.normalExit(), qPrintable(node.describe()));
    const QString report = QString::fromUtf8(node.stdErr());
    static const QRegularExpression header(QStringLiteral(
        "switchboard node: fatal signal 6 \\(SIGABRT\\) in thread \\d+ \"[^\"]*\"; its stack:\n"));
    QVERIFY2(header.match(report).hasMatch(), qPrintable(node.describe()));
    // The main thread waits in its event loop, under NodeMain::run: named, not only an offset.
    QVERIFY2(report.contains(QStringLiteral("NodeMain3run")), qPrintable(report));
}

#include "tst_nodecli.moc"
