#include "PhoneNormaliser.h"

#include <phonenumbers/phonenumberutil.h>

#include <string>

namespace Core {

namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

QString regionText(const QString& region)
{
    return region.isEmpty() ? QStringLiteral("with no region known") : QStringLiteral("for region %1").arg(region);
}

Error invalid(const QString& why)
{
    return Error(Error::Kind::InvalidInput, why);
}

} // namespace

Result<PhoneParts> PhoneNormaliser::normalise(const QString& input, const QString& region)
{
    const QString text = input.trimmed();
    if (text.isEmpty())
        return invalid(QStringLiteral("is empty"));

    const PhoneNumberUtil* util = PhoneNumberUtil::GetInstance();
    // "ZZ" is libphonenumber's "unknown region": only numbers in +CC form parse then. A region
    // libphonenumber has no metadata for (e.g. AQ) is no better than none.
    std::string regionCode = region.toUpper().toStdString();
    if (regionCode.empty() || util->GetCountryCodeForRegion(regionCode) == 0)
        regionCode = "ZZ";
    PhoneNumber parsed;
    const PhoneNumberUtil::ErrorType err = util->Parse(text.toStdString(), regionCode, &parsed);
    switch (err) {
    case PhoneNumberUtil::NO_PARSING_ERROR:
        break;
    case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
        return invalid(text.startsWith(QLatin1Char('+')) || regionCode != "ZZ"
                           ? QStringLiteral("has an unknown country code")
                           : QStringLiteral("has no country code (+CC) and no usable region is known"));
    case PhoneNumberUtil::NOT_A_NUMBER:
        return invalid(QStringLiteral("is not a phone number"));
    case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
    case PhoneNumberUtil::TOO_SHORT_NSN:
        return invalid(QStringLiteral("is too short"));
    case PhoneNumberUtil::TOO_LONG_NSN:
        return invalid(QStringLiteral("is too long"));
    }
    if (!util->IsValidNumber(parsed))
        return invalid(QStringLiteral("is not a valid number %1").arg(regionText(region)));

    std::string nsn;
    util->GetNationalSignificantNumber(parsed, &nsn);
    // Geographic area code where there is one (89 for Munich); otherwise the national destination code
    // (the mobile network prefix), so the number part stays the subscriber number.
    int areaLength = util->GetLengthOfGeographicalAreaCode(parsed);
    if (areaLength <= 0)
        areaLength = util->GetLengthOfNationalDestinationCode(parsed);
    if (areaLength < 0 || static_cast<size_t>(areaLength) >= nsn.size())
        areaLength = 0;

    std::string e164;
    util->Format(parsed, PhoneNumberUtil::E164, &e164);

    PhoneParts parts;
    parts.countryCode = QString::number(parsed.country_code());
    parts.areaCode = QString::fromStdString(nsn.substr(0, static_cast<size_t>(areaLength)));
    parts.number = QString::fromStdString(nsn.substr(static_cast<size_t>(areaLength)));
    parts.extension = parsed.has_extension() ? QString::fromStdString(parsed.extension()) : QString();
    parts.e164 = QString::fromStdString(e164);
    return parts;
}

} // namespace Core
