#pragma once

#include "CountryIndex.h"
#include "MappingSet.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <optional>

namespace Core {

// Something a rule could not map as the data stood. Warnings leave a field out (or put the phone into
// RawPhoneNumber); errors mean the record should not be written as it is.
struct FieldDiagnostic
{
    enum Severity { Warning, Error };

    Severity severity = Warning;
    QString target;  // Oracle field
    QString source;  // Zoho field(s)
    QString value;   // the offending input; may be shown to the admin
    QString message; // what is wrong and where, e.g. "Phone \"12\" is not a valid number for region DE; kept as
                     // RawPhoneNumber"
};

struct MappingResult
{
    QJsonObject payload; // Oracle `accounts` body; absent values are left out, never empty strings
    QList<FieldDiagnostic> diagnostics;

    bool ok() const; // no error-severity diagnostic
    QList<FieldDiagnostic> errors() const;
    QList<FieldDiagnostic> warnings() const;
};

struct FieldChange
{
    enum Kind { Unchanged, Changed, New, Removed };

    QString field;
    QJsonValue before; // Undefined when Oracle has no value
    QJsonValue after;  // Undefined when the mapping gives none
    Kind kind = Unchanged;
};

struct MappingPreview
{
    MappingResult result;
    QList<FieldChange> changes; // one per field that has a value on either side
    bool hasChanges() const;
};

// Turns one Zoho record into an Oracle `accounts` payload. Pure: no state beyond the immutable country index,
// and every problem becomes a diagnostic rather than an exception or a failed call.
class FieldMapper
{
public:
    explicit FieldMapper(const CountryIndex& countries = CountryIndex::shared());

    MappingResult map(const MappingSet& mapping, const QString& module, const QJsonObject& zohoRecord) const;

    // The mapping plus a field-by-field comparison with the Oracle item as it is now (none: every field New).
    // Values are compared normalised (whitespace, number vs. string, case of e-mail and country), so cosmetic
    // differences are Unchanged. Removed: Oracle has a value for a field the rules write, the mapping none.
    MappingPreview preview(const MappingSet& mapping,
                           const QString& module,
                           const QJsonObject& zohoRecord,
                           const std::optional<QJsonObject>& currentOracleItem) const;

    // SHA-256 (lower-case hex) of the payload serialised with sorted keys: equal payloads, equal hashes,
    // whatever the key order, so a sync can skip writes that change nothing.
    static QByteArray payloadHash(const QJsonObject& payload);

private:
    const CountryIndex* m_countries;
};

} // namespace Core
