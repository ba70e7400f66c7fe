#include "node/AddressConnectionLimit.h"

#include <QMutexLocker>

namespace sb::node {

AddressConnectionLimit::Place::Place(
    AddressConnectionLimit *limit, const QHostAddress &address, QObject *socket)
    : QObject(socket)
    , m_limit(limit)
    , m_address(address)
{ }

AddressConnectionLimit::Place::~Place()
{
    m_limit->release(m_address);
}

QHostAddress AddressConnectionLimit::normalized(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4); // also ::ffff:a.b.c.d
    return isV4 ? QHostAddress(v4) : address;
}

bool AddressConnectionLimit::tryAcquire(const QHostAddress &address, int limit, bool exemptLoopback)
{
    const QHostAddress key = normalized(address);
    if (exemptLoopback && key.isLoopback())
        return true; // never counted, so release() finds nothing to give back
    QMutexLocker lock(&m_mutex);
    const auto it = m_open.find(key);
    const int open = it == m_open.end() ? 0 : *it;
    if (open >= limit)
        return false;
    m_open.insert(key, open + 1);
    return true;
}

void AddressConnectionLimit::release(const QHostAddress &address)
{
    const QHostAddress key = normalized(address);
    QMutexLocker lock(&m_mutex);
    const auto it = m_open.find(key);
    if (it != m_open.end() && --*it <= 0)
        m_open.erase(it);
}

int AddressConnectionLimit::openFrom(const QHostAddress &address) const
{
    QMutexLocker lock(&m_mutex);
    return m_open.value(normalized(address));
}

} // namespace sb::node
