#pragma once

#include <QMetaObject>
#include <QObject>

#include <utility>

// ThreadSanitizer (the SB_TSAN tree, docs/reliability.md) sees only instrumented code, and
// Debian's Qt is not built with it: QCoreApplication::postEvent's QMutex, the receiving
// thread's dequeue and the slot object's atomic reference count are all inside libQt6Core,
// so TSan would report the data handed to a worker through its event queue as a race. Qt
// built under TSan annotates its own futex paths (qtbase src/corelib/thread/qtsan_impl.h);
// postQueued() states the same edges at our hand-off sites instead, keyed on the address of
// the call object Qt keeps for this one post (see AnnotatedQueuedCall).
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define SB_QUEUED_CALL_ANNOTATED 1
extern "C" void __tsan_acquire(void *address);
extern "C" void __tsan_release(void *address);
#endif
#endif

namespace sb::node {

#ifdef SB_QUEUED_CALL_ANNOTATED
// The call as Qt stores it: invokeMethod moves it once into the slot object it queues, on the
// posting thread, and that object is run and destroyed once (on either thread, whichever
// drops the last reference). Release when it is in place, acquire before it runs: what the
// poster wrote happens before the call. Release after it ran, acquire before it is destroyed:
// the call happens before the poster's thread frees it.
template<typename Call> class AnnotatedQueuedCall
{
public:
    explicit AnnotatedQueuedCall(Call &&call)
        : m_call(std::move(call))
    { }
    AnnotatedQueuedCall(AnnotatedQueuedCall &&other) noexcept
        : m_call(std::move(other.m_call))
    {
        __tsan_release(this);
    }
    AnnotatedQueuedCall(const AnnotatedQueuedCall &) = delete;
    AnnotatedQueuedCall &operator=(const AnnotatedQueuedCall &) = delete;
    AnnotatedQueuedCall &operator=(AnnotatedQueuedCall &&) = delete;
    ~AnnotatedQueuedCall() { __tsan_acquire(this); }

    void operator()()
    {
        __tsan_acquire(this);
        m_call();
        __tsan_release(this);
    }

private:
    Call m_call;
};
#endif

// QMetaObject::invokeMethod(receiver, call, Qt::QueuedConnection): call runs later on
// receiver's thread (dropped if receiver is gone by then). Outside a TSan build it is
// exactly that call.
template<typename Receiver, typename Call> void postQueued(Receiver *receiver, Call call)
{
#ifdef SB_QUEUED_CALL_ANNOTATED
    QMetaObject::invokeMethod(receiver, AnnotatedQueuedCall<Call>(std::move(call)), Qt::QueuedConnection);
#else
    QMetaObject::invokeMethod(receiver, std::move(call), Qt::QueuedConnection);
#endif
}

} // namespace sb::node
