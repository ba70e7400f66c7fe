#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>

#include <optional>

namespace sb::models {

// What the console saw over a session, as timestamped view states, so an operator can save
// the history no live tool keeps and open it later. Bounded: the oldest samples drop first.
class RecordingStore
{
public:
    struct Sample
    {
        QDateTime at;
        QJsonObject state;
    };

    static constexpr const char *kFormat = "switchboard-recording/1";

    explicit RecordingStore(int capacity = 720);

    void append(const QDateTime &at, const QJsonObject &state);
    const QList<Sample> &samples() const { return m_samples; }
    int capacity() const { return m_capacity; }

    QJsonObject toJson() const;
    bool save(const QString &path, QString *error) const;
    static std::optional<RecordingStore> fromJson(const QJsonObject &json, QString *error);
    static std::optional<RecordingStore> load(const QString &path, QString *error);

private:
    int m_capacity;
    QList<Sample> m_samples;
};

} // namespace sb::models
