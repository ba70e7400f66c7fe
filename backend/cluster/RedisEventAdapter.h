#pragma once

#include <QObject>

struct redisAsyncContext;
class QSocketNotifier;

namespace sb::cluster {

// Drives one hiredis async context from the Qt event loop of the thread it lives in.
//
// Why not hiredis' own adapters/qt.h: it is a Q_OBJECT class defined in a system
// header (moc must be run on /usr/include to link it), uses string-based connects
// (the project allows function-pointer connects only), and deletes a QSocketNotifier
// from inside that notifier's own activated() emission when hiredis tears a context
// down during a read. This one keeps both notifiers for the life of the context, only
// enables/disables them, and detaches itself when hiredis calls cleanup (the context is
// about to be freed): after that it touches nothing.
class RedisEventAdapter : public QObject
{
    Q_OBJECT

public:
    explicit RedisEventAdapter(QObject *parent = nullptr);
    ~RedisEventAdapter() override;

    // Installs the event hooks on `context`; false if it already has an event library.
    bool attach(redisAsyncContext *context);

private:
    static void addRead(void *self);
    static void delRead(void *self);
    static void addWrite(void *self);
    static void delWrite(void *self);
    static void cleanup(void *self);

    void ensureNotifiers();
    void handleRead();
    void handleWrite();
    void detach();

    redisAsyncContext *m_context = nullptr;
    QSocketNotifier *m_read = nullptr;
    QSocketNotifier *m_write = nullptr;
};

} // namespace sb::cluster
