#pragma once

// The exact check after the soak: the Oracle state in the simulator against what the mapper makes of
// every Zoho record's last version, and the audit trail for the records the mapper rejects.

#include "mapping/MappingSet.h"

#include <QJsonArray>
#include <QString>
#include <QStringList>

namespace Core {
class AuditLog;
}

namespace Soak {

struct CheckCounts
{
    int zohoRecords = 0;
    int checked = 0;            // records the mapper accepts, compared field by field
    int missing = 0;            // accepted records with no Oracle account of ours
    int duplicated = 0;         // extra Oracle accounts for one Zoho record
    int wrongFields = 0;        // mapped fields that differ (or stale values where the mapping gives none)
    int recordsWrong = 0;       // records with at least one wrong field
    int orphans = 0;            // Oracle accounts of ours without a Zoho record
    int rejected = 0;           // records whose last version the mapper rejects
    int rejectedUnreported = 0; // ... without a failed (invalid_data) audit event after the last write
    QStringList samples;        // the first discrepancies, for people

    int discrepancies() const { return missing + duplicated + wrongFields + orphans + rejectedUnreported; }
};

class Verifier
{
public:
    Verifier(Core::MappingSet mapping, QString sourceSystem);

    // zoho: module -> the module's records as the control API lists them; oracle: every account item.
    CheckCounts check(const QHash<QString, QJsonArray>& zoho, const QJsonArray& oracle, Core::AuditLog& audit) const;

private:
    Core::MappingSet m_mapping;
    QString m_sourceSystem;
};

} // namespace Soak
