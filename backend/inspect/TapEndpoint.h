#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QUrl>

namespace sb::inspect {

// Who may read a node's /admin/tap: a bearer token, or admin credentials used to log in at
// the node's own /api/auth/login (a fresh token for every connection, so a long capture
// outlives any one token).
struct TapCredentials
{
    QByteArray token;
    QString user;
    QString password;

    bool isEmpty() const { return token.isEmpty() && user.isEmpty(); }
};

// One replica to tap: its id (as the Replicas area names it) and its base URL
// (http://host:port; the tap is ws://host:port/admin/tap).
struct TapEndpoint
{
    QString id;
    QUrl baseUrl;

    friend bool operator==(const TapEndpoint &a, const TapEndpoint &b)
    {
        return a.id == b.id && a.baseUrl == b.baseUrl;
    }
};

} // namespace sb::inspect
