#include "app/DemoUsers.h"

#include "app/ReplicaSpread.h"
#include "node/PasswordHasher.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>

namespace sb::app {

namespace {
// Not alice, bob, carol or admin: `--demo-users` holds those on the same replicas.
const char *const kDemoUserNames[] = {
    "ada",
    "grace",
    "alan",
    "edsger",
    "barbara",
    "donald",
    "frances",
    "john",
    "margaret",
    "dennis",
    "ken",
    "radia",
    "tim",
    "vint",
    "hedy",
    "claude",
    "niklaus",
    "tony",
    "leslie",
    "shafi",
    "whitfield",
    "martin",
    "adele",
    "guido",
    "bjarne",
    "linus",
    "karen",
    "jean",
    "annie",
    "katherine",
    "dorothy",
    "mary",
    "butler",
    "fran",
    "sophie",
    "ivan",
    "douglas",
    "alonzo",
    "kurt",
    "charles",
    "evelyn",
    "jim",
    "robin",
    "judea",
    "manuel",
    "yukihiro",
    "larry",
    "brian",
    "rob",
    "ward",
    "kristen",
    "ole",
    "seymour",
    "gordon",
    "lynn",
    "susan",
    "hal",
    "david",
    "fernando",
    "carl",
};
constexpr int kNameCount = int(sizeof(kDemoUserNames) / sizeof(kDemoUserNames[0]));
const char *const kDemoChannelNames[]
    = { "general", "random", "dev", "support", "design", "sales", "infra", "music" };
constexpr int kChannelNameCount = int(sizeof(kDemoChannelNames) / sizeof(kDemoChannelNames[0]));
constexpr int kPasswordBytes = 24; // a multiple of 4: fillRange fills quint32s
} // namespace

QStringList DemoUsers::channelNames(int count)
{
    QStringList names;
    for (int i = 0; i < std::max(count, 1); ++i)
        names << (i < kChannelNameCount ? QString::fromLatin1(kDemoChannelNames[i])
                                        : QStringLiteral("channel-%1").arg(i + 1));
    return names;
}

QList<DemoUser> DemoUsers::generate(const DemoPopulationOptions &options)
{
    const QStringList channels = channelNames(options.channels);
    QList<DemoUser> users;
    for (int i = 0; i < options.users; ++i) {
        DemoUser user;
        user.index = i;
        user.name = QString::fromLatin1(kDemoUserNames[i % kNameCount]);
        if (i >= kNameCount)
            user.name += QString::number(i / kNameCount + 1);
        QByteArray secret(kPasswordBytes, Qt::Uninitialized);
        QRandomGenerator::system()->fillRange(
            reinterpret_cast<quint32 *>(secret.data()), kPasswordBytes / sizeof(quint32));
        user.password = QString::fromLatin1(
            secret.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
        user.channels << channels.first();
        // Two more channels each, walking round the others so each gets its share of members.
        const int others = int(channels.size()) - 1;
        for (int k = 0; k < std::min(2, others); ++k) {
            const QString &channel = channels.at(1 + (i + k) % others);
            if (!user.channels.contains(channel))
                user.channels << channel;
        }
        user.transport = ReplicaSpread::speaksStomp(i, options.stompShare) ? DemoUser::Transport::Stomp
                                                                           : DemoUser::Transport::Sse;
        users.append(user);
    }
    return users;
}

QByteArray DemoUsers::usersFileJson(const QList<DemoUser> &users, int iterations)
{
    QJsonArray array;
    for (const DemoUser &user : users)
        array.append(QJsonObject { { QStringLiteral("name"), user.name },
            { QStringLiteral("passwordHash"), node::PasswordHasher::hash(user.password, iterations) },
            { QStringLiteral("roles"), QJsonArray { QStringLiteral("ROLE_USER") } },
            { QStringLiteral("channels"), QJsonArray::fromStringList(user.channels) } });
    return QJsonDocument(QJsonObject { { QStringLiteral("users"), array } }).toJson(QJsonDocument::Indented);
}

} // namespace sb::app
