#pragma once

#include <QString>
#include <QStringList>

namespace Core {

// The Oracle Fusion `accounts` fields a mapping may write, with their maximum lengths
// (oracle-fusion-api.md §2.3). Server-set and sync-owned fields (PartyId, PartyNumber, SourceSystem,
// SourceSystemReferenceValue, …) are deliberately absent: a mapping rule must not write them.
class OracleFields
{
public:
    static constexpr int Unlimited = 0;

    static bool isMappable(const QString& field);
    // Maximum length in characters, Unlimited when Oracle documents none.
    static int maxLength(const QString& field);
    static QStringList mappable();

    // Fields the phone transform writes besides its three targets.
    static QString phoneExtension() { return QStringLiteral("PhoneExtension"); }
    static QString rawPhoneNumber() { return QStringLiteral("RawPhoneNumber"); }
    static QStringList phoneTargets();
    static QStringList addressLineTargets();
    static QString sourceReference() { return QStringLiteral("SourceSystemReferenceValue"); }
};

} // namespace Core
