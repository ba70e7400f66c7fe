#pragma once

#include <QCoreApplication>
#include <QMetaObject>
#include <QPointer>

#include <utility>

namespace sb::models {

// A pool-thread job's way back to the GUI thread: the returned callable runs
// `deliver(job)` there, queued to the application object (not to the job, which may be
// gone by then), and only if the job still exists. RecordingSaveJob and RecordingOpenJob
// report their progress and results so.
template<typename Job> auto guiThreadHandOff(Job *job)
{
    return [self = QPointer<Job>(job)](auto &&deliver) {
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [self, deliver = std::forward<decltype(deliver)>(deliver)] {
                if (self)
                    deliver(self.data());
            },
            Qt::QueuedConnection);
    };
}

} // namespace sb::models
