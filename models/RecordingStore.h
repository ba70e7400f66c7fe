#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>

#include <functional>
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
    static constexpr const char *kExtension = ".sbrec.json";
    // Saved to a path ending so, the JSON is gzip-compressed (about 10x smaller); load()
    // reads either, whatever the name.
    static constexpr const char *kCompressedSuffix = ".gz";

    // The path a recording is saved to: as given when its file name has an extension,
    // else with ".sbrec.json" appended (a name typed without one), ".sbrec.json.gz" when
    // `compressed`.
    static QString pathWithExtension(const QString &path, bool compressed = false);

    explicit RecordingStore(int capacity = 720);

    void append(const QDateTime &at, const QJsonObject &state);
    const QList<Sample> &samples() const { return m_samples; }
    int capacity() const { return m_capacity; }

    QJsonObject toJson() const;
    // Each step of a save as it starts ("writing 8.6 MB"), on the thread that saves.
    using SaveProgress = std::function<void(const QString &step)>;
    // `extra` adds sections beside the samples (e.g. "traffic": the frames captured meanwhile).
    // Seconds for an hour of a large cluster (docs/benchmarks.md): the console saves a copy
    // of the store on a pool thread (RecordingSaveJob), never on the GUI thread.
    bool save(const QString &path, QString *error, const QJsonObject &extra = {},
        const SaveProgress &progress = {}) const;
    // When the samples begin and end (invalid when there are none).
    QDateTime firstAt() const { return m_samples.isEmpty() ? QDateTime() : m_samples.first().at; }
    QDateTime lastAt() const { return m_samples.isEmpty() ? QDateTime() : m_samples.last().at; }
    // The sections a saved file holds beside the samples ("traffic": the frames captured
    // meanwhile, ConsoleTrafficRecording), as loaded; empty for a store that records.
    const QJsonObject &sections() const { return m_sections; }
    static std::optional<RecordingStore> fromJson(const QJsonObject &json, QString *error);
    static std::optional<RecordingStore> load(const QString &path, QString *error);

private:
    int m_capacity;
    QList<Sample> m_samples;
    QJsonObject m_sections;
};

} // namespace sb::models
