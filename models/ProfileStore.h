#pragma once

#include "models/Profile.h"

#include <optional>

namespace sb::models {

// Profiles live in QSettings; remembered passwords — the Redis password and Kafka
// properties that carry secrets (sasl.password, ssl.key.password, ...) — live apart, in a
// file only the user can read, so the settings file can be shared or backed up without
// leaking them. Not remembered, they are not stored at all.
class ProfileStore
{
public:
    // secretsPath empty: <config dir>/switchboard/secrets.json
    explicit ProfileStore(const QString &secretsPath = {});

    QStringList names() const;
    std::optional<Profile> load(const QString &name) const;
    bool save(const Profile &profile, QString *error);
    void remove(const QString &name);
    QString secretsPath() const { return m_secretsPath; }

private:
    static QString kafkaSecretsKey(const QString &name);
    static QString adminSecretsKey(const QString &name);
    QString readSecret(const QString &name) const;
    bool writeSecret(const QString &name, const QString &password, QString *error);

    QString m_secretsPath;
};

} // namespace sb::models
