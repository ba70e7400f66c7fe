#include "app/DemoUsersFile.h"

#include "app/DemoUsers.h"

#include <QFile>
#include <QThreadPool>

namespace sb::app {

DemoUsersFile::DemoUsersFile(QObject *parent)
    : QObject(parent)
{
    m_pool.setMaxThreadCount(1);
}

DemoUsersFile::~DemoUsersFile()
{
    m_pool.waitForDone();
}

QString DemoUsersFile::path() const
{
    return m_dir.filePath(QStringLiteral("demo-users.json"));
}

void DemoUsersFile::write(const QList<DemoUser> &users, int iterations)
{
    if (!m_dir.isValid()) {
        emit failed(
            QStringLiteral("no temporary directory for the demo users file: %1").arg(m_dir.errorString()));
        return;
    }
    const QString target = path();
    m_pool.start([this, target, users, iterations] {
        const QByteArray json = DemoUsers::usersFileJson(users, iterations);
        QFile file(target);
        QString why;
        if (!file.open(QIODevice::WriteOnly) || file.write(json) != json.size() || !file.flush())
            why = QStringLiteral("cannot write %1: %2").arg(target, file.errorString());
        file.close();
        // Back on the owner's thread (the destructor waits for this task, so `this` is alive
        // here; a queued call to an object destroyed meanwhile is dropped with it).
        QMetaObject::invokeMethod(
            this,
            [this, target, why] {
                if (why.isEmpty())
                    emit written(target);
                else
                    emit failed(why);
            },
            Qt::QueuedConnection);
    });
}

} // namespace sb::app
