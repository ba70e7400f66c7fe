#pragma once

#include "inspect/SseProbeSettings.h"
#include "inspect/StompProbeSettings.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;

namespace sb::ui {

// Sets up a probe of the Traffic area: STOMP over WebSocket (optionally SockJS) or
// Server-Sent Events, its URL, headers (an editable name/value table: CONNECT headers for
// STOMP, request headers for SSE), subprotocols, destinations to subscribe, and the
// Last-Event-ID to resume from. What is wrong is said under the form as the user types
// (the same sentences the probe clients and `switchboard probe` use), and Start stays
// disabled until it is right. On Start it emits the settings; the Traffic area's owner
// runs the client.
class ProbeDialog : public QDialog
{
    Q_OBJECT
public:
    enum class Kind { Stomp, Sse };

    explicit ProbeDialog(QWidget *parent = nullptr);
    ~ProbeDialog() override;

    Kind kind() const;
    void setKind(Kind kind);
    // Fill the form (e.g. with the last probe's settings, or a replica's endpoints).
    void setStompSettings(const inspect::StompProbeSettings &settings);
    void setSseSettings(const inspect::SseProbeSettings &settings);
    // The form as settings of each kind.
    inspect::StompProbeSettings stompSettings() const;
    inspect::SseProbeSettings sseSettings() const;
    // What keeps Start disabled; empty when the form is right.
    QString problem() const;

    void accept() override;

signals:
    void stompProbeRequested(const sb::inspect::StompProbeSettings &settings);
    void sseProbeRequested(const sb::inspect::SseProbeSettings &settings);

private:
    void buildForm();
    void onKindChanged();
    void addHeaderRow(const QString &name = {}, const QString &value = {});
    void removeHeaderRow();
    void setHeaders(const inspect::ProbeHeaders &headers);
    // The table's rows, skipping wholly empty ones; *problem names a row with a value but no name.
    inspect::ProbeHeaders headers(QString *problem = nullptr) const;
    QUrl url() const;
    void validate();

    QFormLayout *m_form = nullptr;
    QComboBox *m_kind = nullptr;
    QLineEdit *m_url = nullptr;
    QCheckBox *m_sockJs = nullptr;
    QLabel *m_headersLabel = nullptr;
    QTableWidget *m_headers = nullptr;
    QPushButton *m_addHeader = nullptr;
    QPushButton *m_removeHeader = nullptr;
    QLabel *m_headersHint = nullptr;
    QLineEdit *m_subprotocols = nullptr;
    QPlainTextEdit *m_subscriptions = nullptr;
    QLineEdit *m_lastEventId = nullptr;
    QLabel *m_problem = nullptr;
    QPushButton *m_start = nullptr;
    // Form rows shown for one kind only.
    QList<QWidget *> m_stompOnly;
    QList<QWidget *> m_sseOnly;
};

} // namespace sb::ui
