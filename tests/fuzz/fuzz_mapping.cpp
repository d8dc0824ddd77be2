// The field mapper on arbitrary Zoho records and mapping sets: MappingSet::fromJson, FieldMapper
// map/preview (which runs PhoneNormaliser, CountryIndex and the text transforms) and payloadHash.
// Input: "<mapping JSON>\n----\n<Zoho record JSON>[\n----\n<current Oracle item JSON>]"; an
// unparsable mapping is still checked, and the record is then mapped with the default mapping.
#include "FuzzSupport.h"

#include "mapping/CountryIndex.h"
#include "mapping/FieldMapper.h"
#include "mapping/MappingSet.h"
#include "mapping/PhoneNormaliser.h"

#include <QJsonDocument>

#include <cstdint>

using namespace Core;

namespace {

const MappingSet* defaults = nullptr;
const FieldMapper* mapper = nullptr;

void checkResult(const MappingResult& r)
{
    for (const FieldDiagnostic& d : r.diagnostics) {
        if (d.message.isEmpty())
            Fuzz::fail("a diagnostic without a message");
    }
    // "absent values are left out, never empty strings"
    for (auto it = r.payload.begin(); it != r.payload.end(); ++it) {
        if (it.value().isString() && it.value().toString().isEmpty())
            Fuzz::fail("an empty string in the payload");
    }
    if (FieldMapper::payloadHash(r.payload).size() != 64)
        Fuzz::fail("payloadHash is not SHA-256 hex");
}

void mapRecord(const MappingSet& mapping, const QJsonObject& record, const std::optional<QJsonObject>& current)
{
    for (const QString& module : mapping.modules()) {
        const MappingResult r = mapper->map(mapping, module, record);
        checkResult(r);
        const MappingPreview p = mapper->preview(mapping, module, record, current);
        checkResult(p.result);
        if (p.result.payload != r.payload)
            Fuzz::fail("preview mapped differently from map");
        (void)p.hasChanges();
    }
    // Every string value also as a phone number and as a country, the way the transforms see them.
    int budget = 8;
    for (auto it = record.begin(); it != record.end() && budget > 0; ++it) {
        if (!it.value().isString())
            continue;
        --budget;
        const QString text = it.value().toString();
        const auto phone = PhoneNormaliser::normalise(text, QStringLiteral("DE"));
        if (phone.ok() && !phone.value().e164.startsWith(QLatin1Char('+')))
            Fuzz::fail("an E.164 number without +");
        (void)PhoneNormaliser::normalise(text, QString());
        const CountryIndex::Match m = CountryIndex::shared().lookup(text);
        if (m.found() && m.alpha2.size() != 2)
            Fuzz::fail("a country code that is not alpha-2");
        (void)CountryIndex::normalise(text);
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    Fuzz::initApplication();
    defaults = new MappingSet(MappingSet::defaults());
    mapper = new FieldMapper(CountryIndex::shared());
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char*>(data), qsizetype(size));
    const QList<QByteArray> parts = Fuzz::splitParts(input, QByteArrayLiteral("\n----\n"));

    const auto parsed = MappingSet::fromJson(parts.value(0));
    if (parsed.ok()) {
        // What fromJson accepts is usable and survives its own serialisation.
        if (!parsed.value().problems().isEmpty())
            Fuzz::fail("fromJson accepted a set with problems()");
        const auto again = MappingSet::fromJson(parsed.value().toJson());
        if (!again.ok() || again.value() != parsed.value())
            Fuzz::fail("toJson does not read back as the same set");
    } else if (parsed.error().message.isEmpty()) {
        Fuzz::fail("a refused mapping without a reason");
    }
    const MappingSet& mapping = parsed.ok() ? parsed.value() : *defaults;

    const QJsonObject record = QJsonDocument::fromJson(parts.value(1)).object();
    std::optional<QJsonObject> current;
    if (parts.size() > 2)
        current = QJsonDocument::fromJson(parts.value(2)).object();
    mapRecord(mapping, record, current);
    return 0;
}
