#include "ZohoSchema.h"

namespace Sim {

namespace {
using T = ZohoFieldType;

QHash<QString, ZohoFieldType> commonFields()
{
    return {
        {QStringLiteral("id"), T::ReadOnly},
        {QStringLiteral("Owner"), T::Owner},
        {QStringLiteral("Created_By"), T::ReadOnly},
        {QStringLiteral("Modified_By"), T::ReadOnly},
        {QStringLiteral("Created_Time"), T::ReadOnly},
        {QStringLiteral("Modified_Time"), T::ReadOnly},
        {QStringLiteral("Last_Activity_Time"), T::ReadOnly},
        {QStringLiteral("Tag"), T::ReadOnly},
        {QStringLiteral("Description"), T::TextArea},
    };
}

QHash<QString, ZohoFieldType> contactFields()
{
    QHash<QString, ZohoFieldType> f = commonFields();
    const QHash<QString, ZohoFieldType> own = {
        {QStringLiteral("First_Name"), T::Text},
        {QStringLiteral("Last_Name"), T::Text},
        {QStringLiteral("Full_Name"), T::ReadOnly},
        {QStringLiteral("Salutation"), T::Picklist},
        {QStringLiteral("Email"), T::Email},
        {QStringLiteral("Secondary_Email"), T::Email},
        {QStringLiteral("Phone"), T::Phone},
        {QStringLiteral("Mobile"), T::Phone},
        {QStringLiteral("Home_Phone"), T::Phone},
        {QStringLiteral("Other_Phone"), T::Phone},
        {QStringLiteral("Asst_Phone"), T::Phone},
        {QStringLiteral("Fax"), T::Phone},
        {QStringLiteral("Title"), T::Text},
        {QStringLiteral("Department"), T::Text},
        {QStringLiteral("Assistant"), T::Text},
        {QStringLiteral("Account_Name"), T::Lookup},
        {QStringLiteral("Mailing_Street"), T::TextArea},
        {QStringLiteral("Mailing_City"), T::Text},
        {QStringLiteral("Mailing_State"), T::Text},
        {QStringLiteral("Mailing_Zip"), T::Text},
        {QStringLiteral("Mailing_Country"), T::Text},
        {QStringLiteral("Other_Street"), T::TextArea},
        {QStringLiteral("Other_City"), T::Text},
        {QStringLiteral("Other_State"), T::Text},
        {QStringLiteral("Other_Zip"), T::Text},
        {QStringLiteral("Other_Country"), T::Text},
        {QStringLiteral("Date_of_Birth"), T::Date},
        {QStringLiteral("Lead_Source"), T::Picklist},
        {QStringLiteral("Email_Opt_Out"), T::Boolean},
        {QStringLiteral("Skype_ID"), T::Text},
        {QStringLiteral("Twitter"), T::Text},
        // Lookups to modules the simulator does not serve, and the image: shown, not writable.
        {QStringLiteral("Reporting_To"), T::ReadOnly},
        {QStringLiteral("Vendor_Name"), T::ReadOnly},
        {QStringLiteral("Record_Image"), T::ReadOnly},
    };
    f.insert(own);
    return f;
}

QHash<QString, ZohoFieldType> accountFields()
{
    QHash<QString, ZohoFieldType> f = commonFields();
    const QHash<QString, ZohoFieldType> own = {
        {QStringLiteral("Account_Name"), T::Text},
        {QStringLiteral("Account_Number"), T::Text},
        {QStringLiteral("Account_Site"), T::Text},
        {QStringLiteral("Account_Type"), T::Picklist},
        {QStringLiteral("Parent_Account"), T::ReadOnly},
        {QStringLiteral("Phone"), T::Phone},
        {QStringLiteral("Fax"), T::Phone},
        {QStringLiteral("Website"), T::Url},
        {QStringLiteral("Industry"), T::Picklist},
        {QStringLiteral("Employees"), T::Integer},
        {QStringLiteral("Annual_Revenue"), T::Currency},
        {QStringLiteral("Ownership"), T::Picklist},
        {QStringLiteral("Rating"), T::Picklist},
        {QStringLiteral("SIC_Code"), T::Integer},
        {QStringLiteral("Ticker_Symbol"), T::Text},
        {QStringLiteral("Billing_Street"), T::TextArea},
        {QStringLiteral("Billing_City"), T::Text},
        {QStringLiteral("Billing_State"), T::Text},
        {QStringLiteral("Billing_Code"), T::Text},
        {QStringLiteral("Billing_Country"), T::Text},
        {QStringLiteral("Shipping_Street"), T::TextArea},
        {QStringLiteral("Shipping_City"), T::Text},
        {QStringLiteral("Shipping_State"), T::Text},
        {QStringLiteral("Shipping_Code"), T::Text},
        {QStringLiteral("Shipping_Country"), T::Text},
        // Custom fields written by the reverse (ERP -> CRM) flow.
        {QStringLiteral("Oracle_Party_Number"), T::Text},
        {QStringLiteral("AR_Open_Balance"), T::Currency},
        {QStringLiteral("Credit_Status"), T::Text},
        {QStringLiteral("Last_Synced_From_ERP"), T::DateTime},
    };
    f.insert(own);
    return f;
}
} // namespace

QString ZohoSchema::moduleName(ZohoModule m)
{
    return m == ZohoModule::Contacts ? QStringLiteral("Contacts") : QStringLiteral("Accounts");
}

bool ZohoSchema::parseModule(const QString& name, ZohoModule& out)
{
    if (name.compare(QLatin1String("Contacts"), Qt::CaseInsensitive) == 0) {
        out = ZohoModule::Contacts;
        return true;
    }
    if (name.compare(QLatin1String("Accounts"), Qt::CaseInsensitive) == 0) {
        out = ZohoModule::Accounts;
        return true;
    }
    return false;
}

const QHash<QString, ZohoFieldType>& ZohoSchema::fields(ZohoModule m)
{
    static const QHash<QString, ZohoFieldType> contacts = contactFields();
    static const QHash<QString, ZohoFieldType> accounts = accountFields();
    return m == ZohoModule::Contacts ? contacts : accounts;
}

bool ZohoSchema::isKnownField(ZohoModule m, const QString& apiName)
{
    return apiName.startsWith(QLatin1Char('$')) || fields(m).contains(apiName);
}

QString ZohoSchema::expectedTypeName(ZohoFieldType t)
{
    switch (t) {
    case T::Text:
        return QStringLiteral("text");
    case T::TextArea:
        return QStringLiteral("textarea");
    case T::Email:
        return QStringLiteral("email");
    case T::Phone:
        return QStringLiteral("phone");
    case T::Url:
        return QStringLiteral("website");
    case T::Picklist:
        return QStringLiteral("picklist");
    case T::Integer:
        return QStringLiteral("integer");
    case T::Currency:
        return QStringLiteral("currency");
    case T::Boolean:
        return QStringLiteral("boolean");
    case T::Date:
        return QStringLiteral("date");
    case T::DateTime:
        return QStringLiteral("datetime");
    case T::Lookup:
        return QStringLiteral("lookup");
    case T::Owner:
        return QStringLiteral("ownerlookup");
    case T::ReadOnly:
        return QStringLiteral("text");
    }
    return QStringLiteral("text");
}

QString ZohoSchema::mandatoryField(ZohoModule m)
{
    return m == ZohoModule::Contacts ? QStringLiteral("Last_Name") : QStringLiteral("Account_Name");
}

QString ZohoSchema::defaultDuplicateCheckField(ZohoModule m)
{
    return m == ZohoModule::Contacts ? QStringLiteral("Email") : QStringLiteral("Account_Name");
}

QString ZohoSchema::resourceId(ZohoModule m, qint64 orgPrefix)
{
    const qint64 base = orgPrefix * 1000000000000LL;
    return QString::number(base + (m == ZohoModule::Contacts ? 115 : 119));
}

} // namespace Sim
