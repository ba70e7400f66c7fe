#include "node/SocketSendBuffer.h"

#include <sys/socket.h>

#include <cerrno>

namespace sb::node {

bool SocketSendBuffer::bound(qintptr descriptor, int bytes, QString *error)
{
    if (::setsockopt(int(descriptor), SOL_SOCKET, SO_SNDBUF, &bytes, socklen_t(sizeof bytes)) == 0)
        return true;
    *error = QStringLiteral("SO_SNDBUF %1: %2").arg(bytes).arg(qt_error_string(errno));
    return false;
}

int SocketSendBuffer::kernelBytes(qintptr descriptor)
{
    int bytes = 0;
    socklen_t length = sizeof bytes;
    if (::getsockopt(int(descriptor), SOL_SOCKET, SO_SNDBUF, &bytes, &length) != 0)
        return -1;
    return bytes;
}

} // namespace sb::node
