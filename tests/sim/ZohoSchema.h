#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

namespace Sim {

enum class ZohoModule { Contacts, Accounts };

// Field types the simulator validates on writes.
enum class ZohoFieldType {
    Text,
    TextArea,
    Email,
    Phone,
    Url,
    Picklist,
    Integer,
    Currency,
    Boolean,
    Date,
    DateTime,
    Lookup,
    Owner,
    ReadOnly
};

// API names and types of the two modules (SDK Field.Contacts / Field.Accounts plus the custom
// fields of the reverse flow on Accounts).
class ZohoSchema final
{
public:
    static QString moduleName(ZohoModule m);
    // Case-insensitive like Zoho; false for every other module.
    static bool parseModule(const QString& name, ZohoModule& out);
    static const QHash<QString, ZohoFieldType>& fields(ZohoModule m);
    static bool isKnownField(ZohoModule m, const QString& apiName);
    static QString expectedTypeName(ZohoFieldType t);
    static QString mandatoryField(ZohoModule m);
    static QString defaultDuplicateCheckField(ZohoModule m);
    // Numeric module id used as resource_id in watch responses.
    static QString resourceId(ZohoModule m, qint64 orgPrefix);
};

} // namespace Sim
