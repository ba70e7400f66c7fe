#include "cluster/RedisEventAdapter.h"

#include <QSocketNotifier>

#include <hiredis/async.h>

namespace sb::cluster {

RedisEventAdapter::RedisEventAdapter(QObject *parent)
    : QObject(parent)
{ }

RedisEventAdapter::~RedisEventAdapter()
{
    // Owner deleted us while hiredis still holds the hooks: make them no-ops.
    if (m_context)
        m_context->ev.data = nullptr;
}

bool RedisEventAdapter::attach(redisAsyncContext *context)
{
    if (context->ev.data)
        return false;
    m_context = context;
    context->ev.data = this;
    context->ev.addRead = &RedisEventAdapter::addRead;
    context->ev.delRead = &RedisEventAdapter::delRead;
    context->ev.addWrite = &RedisEventAdapter::addWrite;
    context->ev.delWrite = &RedisEventAdapter::delWrite;
    context->ev.cleanup = &RedisEventAdapter::cleanup;
    return true;
}

void RedisEventAdapter::ensureNotifiers()
{
    if (m_read || !m_context)
        return;
    const qintptr fd = m_context->c.fd;
    m_read = new QSocketNotifier(fd, QSocketNotifier::Read, this);
    m_write = new QSocketNotifier(fd, QSocketNotifier::Write, this);
    m_read->setEnabled(false);
    m_write->setEnabled(false);
    connect(m_read, &QSocketNotifier::activated, this, &RedisEventAdapter::handleRead);
    connect(m_write, &QSocketNotifier::activated, this, &RedisEventAdapter::handleWrite);
}

void RedisEventAdapter::addRead(void *self)
{
    if (auto *a = static_cast<RedisEventAdapter *>(self)) {
        a->ensureNotifiers();
        if (a->m_read)
            a->m_read->setEnabled(true);
    }
}

void RedisEventAdapter::delRead(void *self)
{
    if (auto *a = static_cast<RedisEventAdapter *>(self); a && a->m_read)
        a->m_read->setEnabled(false);
}

void RedisEventAdapter::addWrite(void *self)
{
    if (auto *a = static_cast<RedisEventAdapter *>(self)) {
        a->ensureNotifiers();
        if (a->m_write)
            a->m_write->setEnabled(true);
    }
}

void RedisEventAdapter::delWrite(void *self)
{
    if (auto *a = static_cast<RedisEventAdapter *>(self); a && a->m_write)
        a->m_write->setEnabled(false);
}

void RedisEventAdapter::cleanup(void *self)
{
    if (auto *a = static_cast<RedisEventAdapter *>(self))
        a->detach();
}

void RedisEventAdapter::detach()
{
    // Called by hiredis just before it frees the context (possibly from inside
    // handleRead below): disable now so the soon-closed fd is never polled again, and
    // leave deleting to the event loop, never from inside a notifier's emission.
    if (m_read)
        m_read->setEnabled(false);
    if (m_write)
        m_write->setEnabled(false);
    m_context = nullptr;
    deleteLater();
}

void RedisEventAdapter::handleRead()
{
    if (m_context)
        redisAsyncHandleRead(m_context);
}

void RedisEventAdapter::handleWrite()
{
    if (m_context)
        redisAsyncHandleWrite(m_context);
}

} // namespace sb::cluster
