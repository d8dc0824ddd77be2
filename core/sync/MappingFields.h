#pragma once

#include <QStringList>

namespace Core {

class MappingSet;

// The Zoho fields a mapping reads for a module (plus id and Modified_Time), for the `fields`
// parameter that Zoho v8 requires and caps at 50.
QStringList zohoFieldsFor(const MappingSet& mapping, const QString& module);

} // namespace Core
