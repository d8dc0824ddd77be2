#include "OracleFields.h"

#include <QHash>

namespace Core {

namespace {

struct FieldTable
{
    QStringList order;
    QHash<QString, int> maxLength;
};

// Immutable after construction; built once on first use.
const FieldTable& table()
{
    static const FieldTable t = [] {
        const std::pair<const char*, int> fields[] = {
            {"OrganizationName", 360},
            {"EmailAddress", 320},
            {"URL", 2000},
            {"PhoneCountryCode", 10},
            {"PhoneAreaCode", 20},
            {"PhoneNumber", 40},
            {"PhoneExtension", OracleFields::Unlimited},
            {"RawPhoneNumber", 60},
            {"AddressLine1", 240},
            {"AddressLine2", 240},
            {"AddressLine3", 240},
            {"AddressLine4", 240},
            {"City", 60},
            {"State", 60},
            {"Province", OracleFields::Unlimited},
            {"County", OracleFields::Unlimited},
            {"PostalCode", 60},
            {"PostalPlus4Code", OracleFields::Unlimited},
            {"Country", 2},
            {"AddressType", OracleFields::Unlimited},
            {"Description", 2000},
            {"TaxpayerIdentificationNumber", 20},
            {"DUNSNumber", OracleFields::Unlimited},
            {"Type", OracleFields::Unlimited},
            {"SalesProfileStatus", OracleFields::Unlimited},
            {"CurrencyCode", OracleFields::Unlimited},
            {"CorpCurrencyCode", OracleFields::Unlimited},
        };
        FieldTable built;
        for (const auto& [name, length] : fields) {
            built.order.append(QString::fromLatin1(name));
            built.maxLength.insert(QString::fromLatin1(name), length);
        }
        return built;
    }();
    return t;
}

} // namespace

bool OracleFields::isMappable(const QString& field)
{
    return table().maxLength.contains(field);
}

int OracleFields::maxLength(const QString& field)
{
    return table().maxLength.value(field, Unlimited);
}

QStringList OracleFields::mappable()
{
    return table().order;
}

QStringList OracleFields::phoneTargets()
{
    return {QStringLiteral("PhoneCountryCode"), QStringLiteral("PhoneAreaCode"), QStringLiteral("PhoneNumber")};
}

QStringList OracleFields::addressLineTargets()
{
    return {QStringLiteral("AddressLine1"), QStringLiteral("AddressLine2"), QStringLiteral("AddressLine3"),
            QStringLiteral("AddressLine4")};
}

} // namespace Core
