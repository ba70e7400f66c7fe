#include "inspect/KafkaDeadLetterRedriveReport.h"

namespace sb::inspect {

QString KafkaDeadLetterRedriveReport::summary() const
{
    if (!refused.isEmpty())
        return QStringLiteral("Redrive refused: %1").arg(refused);
    QStringList parts;
    QStringList where;
    for (auto it = sentTo.cbegin(); it != sentTo.cend(); ++it)
        where << QStringLiteral("%1 to %2").arg(it.value()).arg(it.key());
    parts << (where.isEmpty()
            ? QStringLiteral("0 of %1 records sent").arg(requested)
            : QStringLiteral("%1 of %2 records sent (%3)").arg(sent()).arg(requested).arg(where.join(u", ")));
    if (failed > 0)
        parts << QStringLiteral("%1 failed").arg(failed);
    if (skipped > 0)
        parts << QStringLiteral("%1 skipped").arg(skipped);
    QString text = parts.join(QStringLiteral(", "));
    if (!problems.isEmpty())
        text += QStringLiteral(": ") + problems.join(QStringLiteral("; "));
    return text;
}

} // namespace sb::inspect
