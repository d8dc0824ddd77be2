#pragma once

#include "Result.h"

#include <QJsonValue>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace Core {

// One step of a field rule. In JSON a step without parameters is its name ("trim"); one with parameters is an
// object with a "type" ({"type":"valueMap","map":{"Mr":"MR"},"otherwise":"OTHER"}).
struct Transform
{
    enum class Kind {
        Trim,
        Upper,
        Lower,
        Title,
        ValueMap,
        Default,
        Required,
        MaxLength,
        Email,
        Phone,       // writes PhoneCountryCode/PhoneAreaCode/PhoneNumber (+PhoneExtension), or RawPhoneNumber
        Country,     // name or code → ISO 3166-1 alpha-2
        StreetLines, // writes AddressLine1..4
    };

    Kind kind = Kind::Trim;
    QMap<QString, QString> map;       // ValueMap: from → to
    std::optional<QString> otherwise; // ValueMap: result for a value the map lacks; absent → unchanged
    QString value;                    // Default: used when the value is empty
    int maxLength = 0;                // MaxLength: 0 → the Oracle field's own limit
    QString regionFrom;               // Phone: Zoho field whose country is the region hint
    QString defaultRegion;            // Phone: alpha-2 hint when regionFrom gives none

    Transform() = default;
    explicit Transform(Kind k)
        : kind(k)
    { }
    static Transform valueMap(const QMap<QString, QString>& map, const std::optional<QString>& otherwise = {});
    static Transform defaultTo(const QString& value);
    static Transform maxLengthOf(int length);
    static Transform phone(const QString& regionFrom, const QString& defaultRegion = {});

    // Phone and StreetLines fill several Oracle fields, so they end a rule.
    bool writesSeveralFields() const { return kind == Kind::Phone || kind == Kind::StreetLines; }
    static QString name(Kind kind);
    static std::optional<Kind> kindNamed(const QString& name);
    QJsonValue toJson() const;

    friend bool operator==(const Transform& a, const Transform& b);
    friend bool operator!=(const Transform& a, const Transform& b) { return !(a == b); }
};

// Zoho field(s) → Oracle field(s). Several sources are joined (or the first non-empty one is taken); a phone
// rule targets PhoneCountryCode, PhoneAreaCode and PhoneNumber, a street rule AddressLine1..4 (in order).
struct FieldRule
{
    enum class Combine { Join, FirstNonEmpty };

    QString target;           // Oracle field
    QStringList extraTargets; // further Oracle fields for phone/streetLines rules; in JSON "target" is then a list
    QStringList sources;      // Zoho API names; "Account_Name.name" reads into a lookup object
    Combine combine = Combine::Join;
    QString separator = QStringLiteral(" "); // between joined sources
    QList<Transform> transforms;
    QString defaultValue; // used when the sources give nothing
    bool required = false;

    QStringList targets() const;
    // targets() plus the fields a phone transform writes on the side (PhoneExtension, RawPhoneNumber).
    QStringList writes() const;

    friend bool operator==(const FieldRule& a, const FieldRule& b);
    friend bool operator!=(const FieldRule& a, const FieldRule& b) { return !(a == b); }
};

// The whole Zoho → Oracle `accounts` mapping: a version and an ordered rule list per Zoho module.
class MappingSet
{
public:
    static QString contacts() { return QStringLiteral("Contacts"); }
    static QString accounts() { return QStringLiteral("Accounts"); }
    static QStringList supportedModules() { return {contacts(), accounts()}; }

    int version() const { return m_version; }
    void setVersion(int version) { m_version = version; }
    QStringList modules() const { return m_rules.keys(); }
    bool hasModule(const QString& module) const { return m_rules.contains(module); }
    QList<FieldRule> rules(const QString& module) const { return m_rules.value(module); }
    void setRules(const QString& module, const QList<FieldRule>& rules) { m_rules.insert(module, rules); }

    QByteArray toJson() const;
    // Parses and validates; the error lists every problem, one per line, each with its path
    // ("modules.Contacts.rules[3].transforms[1]: unknown transform \"uppercase2\"").
    static Result<MappingSet> fromJson(const QByteArray& json);
    // Semantic problems of an in-memory set (same paths as fromJson); empty when it is usable.
    QStringList problems() const;
    QStringList moduleProblems(const QString& module) const;

    static MappingSet defaults();

    friend bool operator==(const MappingSet& a, const MappingSet& b)
    {
        return a.m_version == b.m_version && a.m_rules == b.m_rules;
    }
    friend bool operator!=(const MappingSet& a, const MappingSet& b) { return !(a == b); }

private:
    int m_version = 1;
    QMap<QString, QList<FieldRule>> m_rules;
};

} // namespace Core
