#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace sb::protocol {

// An ordered list of header fields with case-insensitive lookup. Order and the
// original spelling are kept because they matter for traces and for the tap.
class HttpHeaders
{
public:
    struct Field
    {
        QByteArray name;
        QByteArray value;
    };

    // Appends a field; returns false (and stores nothing) when the name is not an RFC 9110
    // token or the value holds CR, LF or NUL, which would allow header injection.
    bool append(const QByteArray &name, const QByteArray &value);
    // Replaces every field of that name with one field (appended at the end).
    bool set(const QByteArray &name, const QByteArray &value);
    void remove(QByteArrayView name);
    void clear() { m_fields.clear(); }

    bool contains(QByteArrayView name) const;
    qsizetype count(QByteArrayView name) const;
    // The first value of that name, or defaultValue.
    QByteArray value(QByteArrayView name, const QByteArray &defaultValue = {}) const;
    QList<QByteArray> values(QByteArrayView name) const;
    // True when any field of that name lists token in its comma-separated value
    // (case-insensitive), e.g. hasToken("Connection", "upgrade").
    bool hasToken(QByteArrayView name, QByteArrayView token) const;

    const QList<Field> &fields() const { return m_fields; }
    qsizetype size() const { return m_fields.size(); }
    bool isEmpty() const { return m_fields.isEmpty(); }

    static bool isToken(QByteArrayView text);
    static bool isValidValue(QByteArrayView value);
    static bool equalsIgnoreCase(QByteArrayView a, QByteArrayView b);
    // Splits a comma-separated list and trims optional whitespace; empty elements are dropped.
    static QList<QByteArrayView> splitList(QByteArrayView value);
    static QByteArrayView trimmed(QByteArrayView text);

private:
    QList<Field> m_fields;
};

} // namespace sb::protocol
