#pragma once

#include "app/DemoUser.h"

#include <QList>
#include <QObject>
#include <QTemporaryDir>
#include <QThreadPool>

namespace sb::app {

// The demo's users file on disk, made on a pool thread because hashing 60 passwords takes
// most of a second (DemoUsers::kPasswordIterations) and the GUI thread must not wait for
// it. written(path) or failed(why) arrive on this object's thread; the file lives as long
// as this object (a temporary directory of its own).
class DemoUsersFile : public QObject
{
    Q_OBJECT
public:
    explicit DemoUsersFile(QObject *parent = nullptr);
    ~DemoUsersFile() override; // waits for a write under way (under a second)

    void write(const QList<DemoUser> &users, int iterations);
    QString path() const;

signals:
    void written(const QString &path);
    void failed(const QString &why);

private:
    QTemporaryDir m_dir;
    QThreadPool m_pool;
};

} // namespace sb::app
