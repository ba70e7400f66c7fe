#include "ui/ProbeDialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace sb::ui {

namespace {

const QString kProbeStompPlaceholder = QStringLiteral("ws://127.0.0.1:8080/ws");
const QString kProbeSockJsPlaceholder = QStringLiteral("http://127.0.0.1:8080/stomp");
const QString kProbeSsePlaceholder = QStringLiteral("http://127.0.0.1:8080/api/sse");

} // namespace

ProbeDialog::ProbeDialog(QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(QStringLiteral("New Probe"));
    buildForm();
    onKindChanged();
}

ProbeDialog::~ProbeDialog()
{
    // The form's widgets outlive this class's part of the object (QWidget deletes them), and
    // a table editor or text edit closing then would call validate() on what is left.
    for (QObject *sender : std::initializer_list<QObject *> { m_kind, m_url, m_sockJs, m_headers,
             m_subprotocols, m_subscriptions, m_lastEventId, m_addHeader, m_removeHeader })
        disconnect(sender, nullptr, this, nullptr);
}

void ProbeDialog::buildForm()
{
    auto *form = m_form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);

    m_kind = new QComboBox(this);
    m_kind->setObjectName(QStringLiteral("probeKind"));
    m_kind->addItem(QStringLiteral("STOMP over WebSocket"));
    m_kind->addItem(QStringLiteral("Server-Sent Events"));
    m_kind->setToolTip(
        QStringLiteral("STOMP: any STOMP-over-WebSocket endpoint (a node's /ws, RabbitMQ Web-STOMP, "
                       "a Spring app), optionally through SockJS.\nSSE: any text/event-stream endpoint "
                       "(a node's /api/sse)."));
    form->addRow(QStringLiteral("&Kind:"), m_kind);

    m_url = new QLineEdit(this);
    m_url->setObjectName(QStringLiteral("probeUrl"));
    m_url->setClearButtonEnabled(true);
    m_url->setToolTip(
        QStringLiteral("STOMP: ws:// or wss:// (with SockJS, the SockJS endpoint: http(s):// too).\n"
                       "SSE: http:// or https://; a ticket may go in the query (?ticket=…)."));
    form->addRow(QStringLiteral("&URL:"), m_url);

    m_sockJs = new QCheckBox(QStringLiteral("Use SockJS's WebSocket transport"), this);
    m_sockJs->setObjectName(QStringLiteral("probeSockJs"));
    m_sockJs->setToolTip(
        QStringLiteral("For endpoints registered with SockJS (Spring's withSockJS()): the probe "
                       "connects to {url}/{server}/{session}/websocket and speaks SockJS framing."));
    form->addRow(QStringLiteral("Sock&JS:"), m_sockJs);
    m_stompOnly << m_sockJs;

    m_headers = new QTableWidget(0, 2, this);
    m_headers->setObjectName(QStringLiteral("probeHeaders"));
    m_headers->setHorizontalHeaderLabels({ QStringLiteral("Name"), QStringLiteral("Value") });
    m_headers->horizontalHeader()->setStretchLastSection(true);
    m_headers->verticalHeader()->hide();
    m_headers->setMinimumHeight(120);
    m_headers->setTabKeyNavigation(false); // Tab leaves the table; arrows move inside it
    m_addHeader = new QPushButton(QStringLiteral("A&dd header"), this);
    m_addHeader->setToolTip(QStringLiteral("Add a row and edit its name"));
    m_removeHeader = new QPushButton(QStringLiteral("&Remove header"), this);
    m_removeHeader->setToolTip(QStringLiteral("Remove the selected row"));
    auto *headerButtons = new QVBoxLayout;
    headerButtons->addWidget(m_addHeader);
    headerButtons->addWidget(m_removeHeader);
    headerButtons->addStretch();
    auto *headerRow = new QHBoxLayout;
    headerRow->addWidget(m_headers, 1);
    headerRow->addLayout(headerButtons);
    m_headersLabel = new QLabel(this);
    m_headersLabel->setBuddy(m_headers);
    form->addRow(m_headersLabel, headerRow);
    m_headersHint = new QLabel(this);
    m_headersHint->setWordWrap(true);
    form->addRow(QString(), m_headersHint);

    m_subprotocols
        = new QLineEdit(inspect::StompProbeSettings::defaultSubprotocols().join(QStringLiteral(", ")), this);
    m_subprotocols->setObjectName(QStringLiteral("probeSubprotocols"));
    m_subprotocols->setToolTip(
        QStringLiteral("WebSocket subprotocols offered in the handshake, comma-separated; "
                       "the server picks one."));
    form->addRow(QStringLiteral("Su&bprotocols:"), m_subprotocols);
    m_stompOnly << m_subprotocols;

    m_subscriptions = new QPlainTextEdit(this);
    m_subscriptions->setObjectName(QStringLiteral("probeSubscriptions"));
    m_subscriptions->setPlaceholderText(QStringLiteral("/topic/channels.general"));
    m_subscriptions->setToolTip(
        QStringLiteral("One destination per line, subscribed once connected (ids sub-0, sub-1, …)."));
    m_subscriptions->setTabChangesFocus(true);
    m_subscriptions->setMaximumHeight(80);
    form->addRow(QStringLiteral("&Subscribe to:"), m_subscriptions);
    m_stompOnly << m_subscriptions;

    m_lastEventId = new QLineEdit(this);
    m_lastEventId->setObjectName(QStringLiteral("probeLastEventId"));
    m_lastEventId->setPlaceholderText(QStringLiteral("none: start from now"));
    m_lastEventId->setToolTip(
        QStringLiteral("Sent as Last-Event-ID on the first request: the server replays what came "
                       "after it (a node says 'reset' when it no longer has it)."));
    form->addRow(QStringLiteral("&Last-Event-ID:"), m_lastEventId);
    m_sseOnly << m_lastEventId;

    m_problem = new QLabel(this);
    m_problem->setObjectName(QStringLiteral("probeProblem"));
    m_problem->setWordWrap(true);
    m_problem->setTextFormat(Qt::PlainText);
    QPalette palette = m_problem->palette();
    palette.setColor(QPalette::WindowText, QColor(0xb0, 0x20, 0x20));
    m_problem->setPalette(palette);

    auto *buttons = new QDialogButtonBox(this);
    m_start = buttons->addButton(QStringLiteral("&Start probe"), QDialogButtonBox::AcceptRole);
    m_start->setDefault(true);
    m_start->setToolTip(QStringLiteral("Connect and show the probe's frames in the Traffic area"));
    buttons->addButton(QDialogButtonBox::Cancel);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(buttons);

    connect(m_kind, &QComboBox::currentIndexChanged, this, &ProbeDialog::onKindChanged);
    connect(m_sockJs, &QCheckBox::toggled, this, &ProbeDialog::onKindChanged);
    for (QLineEdit *edit : { m_url, m_subprotocols, m_lastEventId })
        connect(edit, &QLineEdit::textChanged, this, &ProbeDialog::validate);
    connect(m_subscriptions, &QPlainTextEdit::textChanged, this, &ProbeDialog::validate);
    connect(m_headers, &QTableWidget::itemChanged, this, &ProbeDialog::validate);
    connect(m_addHeader, &QPushButton::clicked, this, [this] { addHeaderRow(); });
    connect(m_removeHeader, &QPushButton::clicked, this, &ProbeDialog::removeHeaderRow);
    connect(buttons, &QDialogButtonBox::accepted, this, &ProbeDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ProbeDialog::reject);
}

ProbeDialog::Kind ProbeDialog::kind() const
{
    return m_kind->currentIndex() == 1 ? Kind::Sse : Kind::Stomp;
}

void ProbeDialog::setKind(Kind kind)
{
    m_kind->setCurrentIndex(kind == Kind::Sse ? 1 : 0);
}

void ProbeDialog::onKindChanged()
{
    const bool stomp = kind() == Kind::Stomp;
    for (QWidget *widget : std::as_const(m_stompOnly))
        m_form->setRowVisible(widget, stomp);
    for (QWidget *widget : std::as_const(m_sseOnly))
        m_form->setRowVisible(widget, !stomp);
    m_headersLabel->setText(
        stomp ? QStringLiteral("CONNECT &headers:") : QStringLiteral("Request &headers:"));
    m_headers->setToolTip(stomp
            ? QStringLiteral("Sent in the STOMP CONNECT frame: Authorization (Bearer …), login, "
                             "passcode, host, heart-beat, accept-version, or any other.")
            : QStringLiteral("Sent with every request: Authorization (Bearer …), Cookie, or any other."));
    m_headersHint->setText(stomp
            ? QStringLiteral(
                "Added when not listed: accept-version %1, heart-beat %2. Add host when the server wants one "
                "(for RabbitMQ it names the virtual host).")
                  .arg(inspect::StompProbeSettings::kDefaultAcceptVersion,
                      inspect::StompProbeSettings::kDefaultHeartBeat)
            : QStringLiteral("Added when not listed: Accept: text/event-stream, Cache-Control: no-cache."));
    m_url->setPlaceholderText(!stomp ? kProbeSsePlaceholder
            : m_sockJs->isChecked()  ? kProbeSockJsPlaceholder
                                     : kProbeStompPlaceholder);
    validate();
}

void ProbeDialog::addHeaderRow(const QString &name, const QString &value)
{
    const int row = m_headers->rowCount();
    m_headers->insertRow(row);
    m_headers->setItem(row, 0, new QTableWidgetItem(name));
    m_headers->setItem(row, 1, new QTableWidgetItem(value));
    if (name.isEmpty() && value.isEmpty()) {
        // Added by the user: go straight to typing its name.
        m_headers->setCurrentCell(row, 0);
        m_headers->setFocus();
        m_headers->editItem(m_headers->item(row, 0));
    }
    validate();
}

void ProbeDialog::removeHeaderRow()
{
    const int row = m_headers->currentRow();
    if (row < 0)
        return;
    m_headers->removeRow(row);
    validate();
}

void ProbeDialog::setHeaders(const inspect::ProbeHeaders &headers)
{
    m_headers->setRowCount(0);
    for (const auto &[name, value] : headers)
        addHeaderRow(name, value);
}

inspect::ProbeHeaders ProbeDialog::headers(QString *problem) const
{
    inspect::ProbeHeaders result;
    for (int row = 0; row < m_headers->rowCount(); ++row) {
        const QTableWidgetItem *nameItem = m_headers->item(row, 0);
        const QTableWidgetItem *valueItem = m_headers->item(row, 1);
        const QString name = nameItem ? nameItem->text().trimmed() : QString();
        const QString value = valueItem ? valueItem->text() : QString();
        if (name.isEmpty() && value.isEmpty())
            continue;
        if (name.isEmpty() && problem && problem->isEmpty())
            *problem = QStringLiteral("header row %1 has a value but no name").arg(row + 1);
        result.append({ name, value });
    }
    return result;
}

QUrl ProbeDialog::url() const
{
    return QUrl(m_url->text().trimmed(), QUrl::StrictMode);
}

void ProbeDialog::setStompSettings(const inspect::StompProbeSettings &settings)
{
    setKind(Kind::Stomp);
    m_url->setText(settings.url.toString());
    m_sockJs->setChecked(settings.sockJs);
    setHeaders(settings.connectHeaders);
    m_subprotocols->setText(settings.subprotocols.join(QStringLiteral(", ")));
    m_subscriptions->setPlainText(settings.subscriptions.join(u'\n'));
    validate();
}

void ProbeDialog::setSseSettings(const inspect::SseProbeSettings &settings)
{
    setKind(Kind::Sse);
    m_url->setText(settings.url.toString());
    setHeaders(settings.headers);
    m_lastEventId->setText(settings.lastEventId);
    validate();
}

inspect::StompProbeSettings ProbeDialog::stompSettings() const
{
    inspect::StompProbeSettings settings;
    settings.url = url();
    settings.sockJs = m_sockJs->isChecked();
    settings.connectHeaders = headers();
    settings.subprotocols.clear();
    for (const QString &protocol : m_subprotocols->text().split(u',', Qt::SkipEmptyParts))
        if (!protocol.trimmed().isEmpty())
            settings.subprotocols.append(protocol.trimmed());
    for (const QString &line : m_subscriptions->toPlainText().split(u'\n', Qt::SkipEmptyParts))
        if (!line.trimmed().isEmpty())
            settings.subscriptions.append(line.trimmed());
    return settings;
}

inspect::SseProbeSettings ProbeDialog::sseSettings() const
{
    inspect::SseProbeSettings settings;
    settings.url = url();
    settings.headers = headers();
    settings.lastEventId = m_lastEventId->text().trimmed();
    return settings;
}

QString ProbeDialog::problem() const
{
    if (m_url->text().trimmed().isEmpty())
        return QStringLiteral("Enter the endpoint's URL, e.g. %1").arg(m_url->placeholderText());
    QString rowProblem;
    headers(&rowProblem);
    if (!rowProblem.isEmpty())
        return rowProblem;
    const QString problem = kind() == Kind::Stomp ? stompSettings().problem() : sseSettings().problem();
    if (problem.isEmpty())
        return {};
    QString sentence = problem;
    sentence[0] = sentence[0].toUpper();
    return sentence;
}

void ProbeDialog::validate()
{
    const QString why = problem();
    m_problem->setText(why);
    m_problem->setVisible(!why.isEmpty());
    m_start->setEnabled(why.isEmpty());
    m_removeHeader->setEnabled(m_headers->rowCount() > 0);
}

void ProbeDialog::accept()
{
    validate();
    if (!m_start->isEnabled())
        return;
    if (kind() == Kind::Stomp)
        emit stompProbeRequested(stompSettings());
    else
        emit sseProbeRequested(sseSettings());
    QDialog::accept();
}

} // namespace sb::ui
