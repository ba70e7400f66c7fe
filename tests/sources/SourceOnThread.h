#pragma once

#include "protocol/TrafficFrame.h"

#include <QList>
#include <QObject>
#include <QPair>
#include <QString>
#include <QThread>

#include <memory>
#include <utility>

namespace sb::testing {

// A Traffic source run the way the console runs it: on its own worker thread, its signals
// received queued on the test's thread, where QTRY_* can watch what arrived.
template<class Source> class SourceOnThread : public QObject
{
public:
    using State = typename Source::State;

    template<class Settings>
    explicit SourceOnThread(Settings settings)
        : m_source(new Source(std::move(settings)))
    {
        m_thread.setObjectName(QStringLiteral("traffic-source"));
        m_source->moveToThread(&m_thread);
        connect(m_source, &Source::framesReady, this, [this](const QList<protocol::TrafficFrame> &batch) {
            batchSizes.append(batch.size());
            frames += batch;
        });
        connect(m_source, &Source::stateChanged, this, [this](State state, const QString &reason) {
            states.append({ state, reason });
        });
        m_thread.start();
    }

    ~SourceOnThread() override
    {
        // Destroyed on its own thread, as the console does (QThread::finished -> deleteLater).
        Source *source = std::exchange(m_source, nullptr);
        QMetaObject::invokeMethod(
            source, [source] { delete source; }, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }

    Source *source() const { return m_source; }
    void start() { m_source->start(); }
    void stop() { m_source->stop(); }

    State state() const { return states.isEmpty() ? State::Stopped : states.constLast().first; }
    QString reason() const { return states.isEmpty() ? QString() : states.constLast().second; }
    // True once any reported state was `state` with a reason containing `text`.
    bool saw(State state, const QString &text = {}) const
    {
        for (const auto &[s, r] : states) {
            if (s == state && r.contains(text))
                return true;
        }
        return false;
    }
    QString history() const
    {
        QString out;
        for (const auto &[s, r] : states)
            out += QString::number(int(s)) + u": " + r + u'\n';
        return out;
    }

    QList<protocol::TrafficFrame> frames;
    QList<qsizetype> batchSizes;
    QList<QPair<State, QString>> states;

private:
    QThread m_thread;
    Source *m_source;
};

} // namespace sb::testing
