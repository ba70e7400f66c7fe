#pragma once

#include "models/AttachmentState.h"

#include <QHash>
#include <QPointer>
#include <QWidget>

class QLabel;

namespace sb::ui {

// The status bar's left side: what the console is attached to, then one coloured dot per
// connection whose tooltip says why it is in that state.
class ConnectionStatusWidget : public QWidget
{
    Q_OBJECT
public:
    explicit ConnectionStatusWidget(models::AttachmentState *state, QWidget *parent = nullptr);

private:
    void showTarget(const QString &target, bool readOnly);
    void showHealth(models::AttachmentState::Service service, const models::ConnectionHealth &health);

    QPointer<models::AttachmentState> m_state;
    QLabel *m_target = nullptr;
    QHash<models::AttachmentState::Service, QLabel *> m_indicators;
};

} // namespace sb::ui
