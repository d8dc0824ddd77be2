#pragma once

#include "Result.h"

#include <QString>

namespace Core {

// A phone number split the way Oracle's accounts resource stores it.
struct PhoneParts
{
    QString countryCode; // digits, no '+': "49"
    QString areaCode;    // may be empty (e.g. numbers without a geographic or destination code)
    QString number;      // the rest of the national significant number
    QString extension;
    QString e164; // "+49891234567"
};

// Parses and validates phone numbers with libphonenumber. Stateless: libphonenumber's own
// PhoneNumberUtil instance is immutable after its metadata loads.
class PhoneNormaliser
{
public:
    // region: ISO 3166-1 alpha-2 hint for numbers written without a country code; empty = none.
    // The error message says why, e.g. "is not a valid number for region DE".
    static Result<PhoneParts> normalise(const QString& input, const QString& region);
};

} // namespace Core
