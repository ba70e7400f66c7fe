#pragma once

#include <QByteArray>
#include <QString>

namespace sb::node {

// One SUBSCRIBE of a STOMP session, as its MESSAGE frames name it.
struct StompSubscription
{
    QByteArray id;
    QString destination;
    QByteArray ack; // auto | client | client-individual
};

} // namespace sb::node
