#include "MappingFields.h"

#include "mapping/MappingSet.h"

namespace Core {

QStringList zohoFieldsFor(const MappingSet& mapping, const QString& module)
{
    QStringList fields{QStringLiteral("id"), QStringLiteral("Modified_Time")};
    const auto add = [&fields](const QString& path) {
        const QString top = path.section(QLatin1Char('.'), 0, 0); // "Account_Name.name" reads Account_Name
        if (!top.isEmpty() && !fields.contains(top))
            fields << top;
    };
    for (const FieldRule& rule : mapping.rules(module)) {
        for (const QString& source : rule.sources)
            add(source);
        for (const Transform& transform : rule.transforms)
            add(transform.regionFrom);
    }
    return fields;
}

} // namespace Core
