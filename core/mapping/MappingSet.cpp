#include "MappingSet.h"

#include "OracleFields.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <cmath>

namespace Core {

namespace {

const std::pair<Transform::Kind, const char*> kKindNames[] = {
    {Transform::Kind::Trim, "trim"},         {Transform::Kind::Upper, "upper"},
    {Transform::Kind::Lower, "lower"},       {Transform::Kind::Title, "title"},
    {Transform::Kind::ValueMap, "valueMap"}, {Transform::Kind::Default, "default"},
    {Transform::Kind::Required, "required"}, {Transform::Kind::MaxLength, "maxLength"},
    {Transform::Kind::Email, "email"},       {Transform::Kind::Phone, "phone"},
    {Transform::Kind::Country, "country"},   {Transform::Kind::StreetLines, "streetLines"},
};

QString quoted(const QString& s)
{
    return QLatin1Char('"') + s + QLatin1Char('"');
}

bool isZohoFieldName(const QString& name)
{
    // API names: letters, digits, '_' (custom fields) and '$' (system keys); '.' reads into a lookup object.
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9_$]+(\\.[A-Za-z0-9_$]+)*$"));
    return pattern.match(name).hasMatch();
}

bool isRegionCode(const QString& code)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Z]{2}$"));
    return pattern.match(code).hasMatch();
}

QString rulePath(const QString& module, int index)
{
    return QStringLiteral("modules.%1.rules[%2]").arg(module).arg(index);
}

// Reads the JSON form; structural problems are appended to `problems`, semantic ones come from validation.
class Parser
{
public:
    QStringList problems;

    void fail(const QString& path, const QString& what) { problems.append(path + QStringLiteral(": ") + what); }

    void checkKeys(const QJsonObject& o, const QString& path, const QStringList& allowed, const QString& what)
    {
        for (const QString& key : o.keys()) {
            if (!allowed.contains(key))
                fail(path, QStringLiteral("unknown key %1%2").arg(quoted(key), what));
        }
    }

    std::optional<QString> string(const QJsonObject& o, const QString& key, const QString& path)
    {
        const QJsonValue v = o.value(key);
        if (v.isUndefined())
            return std::nullopt;
        if (!v.isString()) {
            fail(path + QLatin1Char('.') + key, QStringLiteral("must be a string"));
            return std::nullopt;
        }
        return v.toString();
    }

    QStringList stringList(const QJsonValue& v, const QString& path, bool allowSingle)
    {
        if (allowSingle && v.isString())
            return {v.toString()};
        if (!v.isArray()) {
            fail(path, allowSingle ? QStringLiteral("must be a string or a list of strings")
                                   : QStringLiteral("must be a list of strings"));
            return {};
        }
        QStringList out;
        const QJsonArray a = v.toArray();
        for (int i = 0; i < a.size(); ++i) {
            if (!a.at(i).isString())
                fail(QStringLiteral("%1[%2]").arg(path).arg(i), QStringLiteral("must be a string"));
            else
                out.append(a.at(i).toString());
        }
        return out;
    }

    std::optional<Transform> transform(const QJsonValue& v, const QString& path)
    {
        QString typeName;
        QJsonObject o;
        if (v.isString()) {
            typeName = v.toString();
        } else if (v.isObject()) {
            o = v.toObject();
            if (!o.value(QStringLiteral("type")).isString()) {
                fail(path, QStringLiteral("a transform object needs a \"type\" string"));
                return std::nullopt;
            }
            typeName = o.value(QStringLiteral("type")).toString();
        } else {
            fail(path, QStringLiteral("a transform is a name or an object with a \"type\""));
            return std::nullopt;
        }
        const std::optional<Transform::Kind> kind = Transform::kindNamed(typeName);
        if (!kind) {
            fail(path, QStringLiteral("unknown transform %1").arg(quoted(typeName)));
            return std::nullopt;
        }
        Transform t(*kind);
        const QString forWhat = QStringLiteral(" for transform %1").arg(quoted(typeName));
        switch (*kind) {
        case Transform::Kind::ValueMap: {
            checkKeys(o, path, {QStringLiteral("type"), QStringLiteral("map"), QStringLiteral("otherwise")}, forWhat);
            const QJsonValue map = o.value(QStringLiteral("map"));
            if (!map.isObject()) {
                fail(path, QStringLiteral("transform \"valueMap\" needs a \"map\" object of from → to strings"));
                return std::nullopt;
            }
            const QJsonObject m = map.toObject();
            for (auto it = m.constBegin(); it != m.constEnd(); ++it) {
                if (!it.value().isString())
                    fail(path + QStringLiteral(".map.") + it.key(), QStringLiteral("must be a string"));
                else
                    t.map.insert(it.key(), it.value().toString());
            }
            t.otherwise = string(o, QStringLiteral("otherwise"), path);
            break;
        }
        case Transform::Kind::Default: {
            checkKeys(o, path, {QStringLiteral("type"), QStringLiteral("value")}, forWhat);
            const std::optional<QString> value = string(o, QStringLiteral("value"), path);
            if (!value) {
                fail(path, QStringLiteral("transform \"default\" needs a \"value\" string"));
                return std::nullopt;
            }
            t.value = *value;
            break;
        }
        case Transform::Kind::MaxLength: {
            checkKeys(o, path, {QStringLiteral("type"), QStringLiteral("length")}, forWhat);
            const QJsonValue length = o.value(QStringLiteral("length"));
            if (!length.isUndefined()) {
                const double d = length.toDouble(-1);
                if (!length.isDouble() || d < 1 || d > 1e6 || std::floor(d) != d) {
                    fail(path + QStringLiteral(".length"), QStringLiteral("must be a positive whole number"));
                    return std::nullopt;
                }
                t.maxLength = static_cast<int>(d);
            }
            break;
        }
        case Transform::Kind::Phone:
            checkKeys(o, path, {QStringLiteral("type"), QStringLiteral("regionFrom"), QStringLiteral("defaultRegion")},
                      forWhat);
            t.regionFrom = string(o, QStringLiteral("regionFrom"), path).value_or(QString());
            t.defaultRegion = string(o, QStringLiteral("defaultRegion"), path).value_or(QString());
            break;
        default:
            checkKeys(o, path, {QStringLiteral("type")}, forWhat);
            break;
        }
        return t;
    }

    std::optional<FieldRule> rule(const QJsonValue& v, const QString& path)
    {
        if (!v.isObject()) {
            fail(path, QStringLiteral("a rule must be an object"));
            return std::nullopt;
        }
        const QJsonObject o = v.toObject();
        checkKeys(o, path,
                  {QStringLiteral("target"), QStringLiteral("sources"), QStringLiteral("combine"),
                   QStringLiteral("separator"), QStringLiteral("transforms"), QStringLiteral("default"),
                   QStringLiteral("required")},
                  QString());
        FieldRule r;
        if (!o.contains(QStringLiteral("target"))) {
            fail(path + QStringLiteral(".target"), QStringLiteral("missing"));
        } else {
            const QStringList targets =
                stringList(o.value(QStringLiteral("target")), path + QStringLiteral(".target"), true);
            if (!targets.isEmpty()) {
                r.target = targets.first();
                r.extraTargets = targets.mid(1);
            } else if (o.value(QStringLiteral("target")).isArray()) {
                fail(path + QStringLiteral(".target"), QStringLiteral("is an empty list"));
            }
        }
        if (!o.contains(QStringLiteral("sources")))
            fail(path + QStringLiteral(".sources"), QStringLiteral("missing"));
        else
            r.sources = stringList(o.value(QStringLiteral("sources")), path + QStringLiteral(".sources"), true);
        if (const auto combine = string(o, QStringLiteral("combine"), path)) {
            if (*combine == QLatin1String("join"))
                r.combine = FieldRule::Combine::Join;
            else if (*combine == QLatin1String("firstNonEmpty"))
                r.combine = FieldRule::Combine::FirstNonEmpty;
            else
                fail(path + QStringLiteral(".combine"),
                     QStringLiteral("unknown value %1 (expected \"join\" or \"firstNonEmpty\")").arg(quoted(*combine)));
        }
        if (const auto separator = string(o, QStringLiteral("separator"), path))
            r.separator = *separator;
        if (const auto defaultValue = string(o, QStringLiteral("default"), path))
            r.defaultValue = *defaultValue;
        const QJsonValue required = o.value(QStringLiteral("required"));
        if (!required.isUndefined() && !required.isBool())
            fail(path + QStringLiteral(".required"), QStringLiteral("must be true or false"));
        r.required = required.toBool(false);
        const QJsonValue transforms = o.value(QStringLiteral("transforms"));
        if (!transforms.isUndefined() && !transforms.isArray()) {
            fail(path + QStringLiteral(".transforms"), QStringLiteral("must be a list"));
        } else {
            const QJsonArray a = transforms.toArray();
            for (int i = 0; i < a.size(); ++i) {
                if (const auto t = transform(a.at(i), QStringLiteral("%1.transforms[%2]").arg(path).arg(i)))
                    r.transforms.append(*t);
                else
                    r.transforms.append(Transform()); // keeps later indices right for validation messages
            }
        }
        return r;
    }
};

QStringList ruleProblems(const FieldRule& rule, const QString& path)
{
    QStringList problems;
    auto fail = [&](const QString& where, const QString& what) {
        problems.append(where + QStringLiteral(": ") + what);
    };

    const QStringList targets = rule.targets();
    const bool multi = !targets.isEmpty() && targets.size() > 1;
    for (int i = 0; i < targets.size(); ++i) {
        const QString where =
            multi ? QStringLiteral("%1.target[%2]").arg(path).arg(i) : path + QStringLiteral(".target");
        if (targets.at(i).isEmpty())
            fail(where, QStringLiteral("missing"));
        else if (!OracleFields::isMappable(targets.at(i)))
            fail(where, QStringLiteral("unknown Oracle accounts field %1").arg(quoted(targets.at(i))));
    }

    if (rule.sources.isEmpty())
        fail(path + QStringLiteral(".sources"), QStringLiteral("needs at least one Zoho field"));
    for (int i = 0; i < rule.sources.size(); ++i) {
        if (!isZohoFieldName(rule.sources.at(i)))
            fail(QStringLiteral("%1.sources[%2]").arg(path).arg(i),
                 QStringLiteral("%1 is not a Zoho field API name").arg(quoted(rule.sources.at(i))));
    }

    const Transform* several = nullptr;
    for (int i = 0; i < rule.transforms.size(); ++i) {
        const Transform& t = rule.transforms.at(i);
        const QString where = QStringLiteral("%1.transforms[%2]").arg(path).arg(i);
        if (t.writesSeveralFields()) {
            several = &t;
            if (i != rule.transforms.size() - 1)
                fail(where, QStringLiteral("%1 fills several fields, so it must be the last transform")
                                .arg(quoted(Transform::name(t.kind))));
        }
        if (t.kind == Transform::Kind::MaxLength && t.maxLength < 0)
            fail(where, QStringLiteral("\"maxLength\" length must be positive"));
        if (t.kind == Transform::Kind::Phone) {
            if (!t.regionFrom.isEmpty() && !isZohoFieldName(t.regionFrom))
                fail(where + QStringLiteral(".regionFrom"),
                     QStringLiteral("%1 is not a Zoho field API name").arg(quoted(t.regionFrom)));
            if (!t.defaultRegion.isEmpty() && !isRegionCode(t.defaultRegion))
                fail(
                    where + QStringLiteral(".defaultRegion"),
                    QStringLiteral("%1 is not an ISO 3166-1 alpha-2 code such as \"DE\"").arg(quoted(t.defaultRegion)));
        }
    }

    const QString targetPath = path + QStringLiteral(".target");
    if (several && several->kind == Transform::Kind::Phone) {
        const QStringList needed = OracleFields::phoneTargets();
        QStringList missing;
        for (const QString& f : needed) {
            if (!targets.contains(f))
                missing.append(f);
        }
        QStringList extra;
        for (const QString& f : targets) {
            if (!needed.contains(f))
                extra.append(f);
        }
        if (!missing.isEmpty())
            fail(targetPath, QStringLiteral("a phone rule needs its three targets %1 (missing %2)")
                                 .arg(needed.join(QStringLiteral(", ")), missing.join(QStringLiteral(", "))));
        if (!extra.isEmpty())
            fail(targetPath, QStringLiteral("a phone rule writes only %1, not %2")
                                 .arg(needed.join(QStringLiteral(", ")), extra.join(QStringLiteral(", "))));
    } else if (several && several->kind == Transform::Kind::StreetLines) {
        const QStringList lines = OracleFields::addressLineTargets();
        for (const QString& f : targets) {
            if (!f.isEmpty() && !lines.contains(f))
                fail(targetPath, QStringLiteral("a streetLines rule writes address lines (%1), not %2")
                                     .arg(lines.join(QStringLiteral(", ")), f));
        }
    } else if (multi) {
        fail(targetPath, QStringLiteral("several targets need a \"phone\" or \"streetLines\" transform"));
    }
    return problems;
}

QJsonObject ruleToJson(const FieldRule& r)
{
    QJsonObject o;
    if (r.extraTargets.isEmpty())
        o.insert(QStringLiteral("target"), r.target);
    else
        o.insert(QStringLiteral("target"), QJsonArray::fromStringList(r.targets()));
    o.insert(QStringLiteral("sources"), QJsonArray::fromStringList(r.sources));
    if (r.combine == FieldRule::Combine::FirstNonEmpty)
        o.insert(QStringLiteral("combine"), QStringLiteral("firstNonEmpty"));
    if (r.separator != QLatin1String(" "))
        o.insert(QStringLiteral("separator"), r.separator);
    QJsonArray transforms;
    for (const Transform& t : r.transforms)
        transforms.append(t.toJson());
    if (!transforms.isEmpty())
        o.insert(QStringLiteral("transforms"), transforms);
    if (!r.defaultValue.isEmpty())
        o.insert(QStringLiteral("default"), r.defaultValue);
    if (r.required)
        o.insert(QStringLiteral("required"), true);
    return o;
}

FieldRule simpleRule(const QString& target,
                     const QString& source,
                     QList<Transform> transforms = {Transform(Transform::Kind::Trim)})
{
    FieldRule r;
    r.target = target;
    r.sources = QStringList{source};
    r.transforms = std::move(transforms);
    return r;
}

FieldRule phoneRule(const QStringList& sources, const QString& regionFrom)
{
    FieldRule r;
    const QStringList targets = OracleFields::phoneTargets();
    r.target = targets.first();
    r.extraTargets = targets.mid(1);
    r.sources = sources;
    r.combine = FieldRule::Combine::FirstNonEmpty;
    r.transforms = {Transform::phone(regionFrom)};
    return r;
}

FieldRule streetRule(const QString& source)
{
    FieldRule r;
    const QStringList targets = OracleFields::addressLineTargets();
    r.target = targets.first();
    r.extraTargets = targets.mid(1);
    r.sources = QStringList{source};
    r.transforms = {Transform(Transform::Kind::StreetLines)};
    return r;
}

} // namespace

Transform Transform::valueMap(const QMap<QString, QString>& map, const std::optional<QString>& otherwise)
{
    Transform t(Kind::ValueMap);
    t.map = map;
    t.otherwise = otherwise;
    return t;
}

Transform Transform::defaultTo(const QString& value)
{
    Transform t(Kind::Default);
    t.value = value;
    return t;
}

Transform Transform::maxLengthOf(int length)
{
    Transform t(Kind::MaxLength);
    t.maxLength = length;
    return t;
}

Transform Transform::phone(const QString& regionFrom, const QString& defaultRegion)
{
    Transform t(Kind::Phone);
    t.regionFrom = regionFrom;
    t.defaultRegion = defaultRegion;
    return t;
}

QString Transform::name(Kind kind)
{
    for (const auto& [k, n] : kKindNames) {
        if (k == kind)
            return QString::fromLatin1(n);
    }
    return QString();
}

std::optional<Transform::Kind> Transform::kindNamed(const QString& name)
{
    for (const auto& [k, n] : kKindNames) {
        if (name == QLatin1String(n))
            return k;
    }
    return std::nullopt;
}

QJsonValue Transform::toJson() const
{
    QJsonObject o;
    switch (kind) {
    case Kind::ValueMap: {
        QJsonObject m;
        for (auto it = map.constBegin(); it != map.constEnd(); ++it)
            m.insert(it.key(), it.value());
        o.insert(QStringLiteral("map"), m);
        if (otherwise)
            o.insert(QStringLiteral("otherwise"), *otherwise);
        break;
    }
    case Kind::Default:
        o.insert(QStringLiteral("value"), value);
        break;
    case Kind::MaxLength:
        if (maxLength > 0)
            o.insert(QStringLiteral("length"), maxLength);
        break;
    case Kind::Phone:
        if (!regionFrom.isEmpty())
            o.insert(QStringLiteral("regionFrom"), regionFrom);
        if (!defaultRegion.isEmpty())
            o.insert(QStringLiteral("defaultRegion"), defaultRegion);
        break;
    default:
        break;
    }
    if (o.isEmpty())
        return name(kind);
    o.insert(QStringLiteral("type"), name(kind));
    return o;
}

bool operator==(const Transform& a, const Transform& b)
{
    return a.kind == b.kind && a.map == b.map && a.otherwise == b.otherwise && a.value == b.value &&
           a.maxLength == b.maxLength && a.regionFrom == b.regionFrom && a.defaultRegion == b.defaultRegion;
}

QStringList FieldRule::targets() const
{
    return QStringList{target} + extraTargets;
}

QStringList FieldRule::writes() const
{
    QStringList out = targets();
    for (const Transform& t : transforms) {
        if (t.kind == Transform::Kind::Phone)
            out << OracleFields::phoneExtension() << OracleFields::rawPhoneNumber();
    }
    return out;
}

bool operator==(const FieldRule& a, const FieldRule& b)
{
    return a.target == b.target && a.extraTargets == b.extraTargets && a.sources == b.sources &&
           a.combine == b.combine && a.separator == b.separator && a.transforms == b.transforms &&
           a.defaultValue == b.defaultValue && a.required == b.required;
}

QByteArray MappingSet::toJson() const
{
    QJsonObject modules;
    for (auto it = m_rules.constBegin(); it != m_rules.constEnd(); ++it) {
        QJsonArray rules;
        for (const FieldRule& r : it.value())
            rules.append(ruleToJson(r));
        modules.insert(it.key(), QJsonObject{{QStringLiteral("rules"), rules}});
    }
    const QJsonObject root{{QStringLiteral("version"), m_version}, {QStringLiteral("modules"), modules}};
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

Result<MappingSet> MappingSet::fromJson(const QByteArray& json)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Error(Error::Kind::InvalidInput, QStringLiteral("mapping: not valid JSON (%1 at offset %2)")
                                                    .arg(parseError.errorString())
                                                    .arg(parseError.offset));
    if (!doc.isObject())
        return Error(Error::Kind::InvalidInput, QStringLiteral("mapping: must be a JSON object"));

    Parser p;
    MappingSet set;
    const QJsonObject root = doc.object();
    p.checkKeys(root, QStringLiteral("mapping"), {QStringLiteral("version"), QStringLiteral("modules")}, QString());
    const QJsonValue version = root.value(QStringLiteral("version"));
    const double v = version.toDouble(-1);
    if (!version.isDouble() || v < 1 || v > 2147483647.0 || std::floor(v) != v)
        p.fail(QStringLiteral("version"), QStringLiteral("must be a positive whole number"));
    else
        set.m_version = static_cast<int>(v);

    const QJsonValue modules = root.value(QStringLiteral("modules"));
    if (!modules.isObject()) {
        p.fail(QStringLiteral("modules"), QStringLiteral("must be an object keyed by Zoho module"));
    } else {
        const QJsonObject m = modules.toObject();
        for (auto it = m.constBegin(); it != m.constEnd(); ++it) {
            const QString path = QStringLiteral("modules.") + it.key();
            if (!supportedModules().contains(it.key())) {
                p.fail(path, QStringLiteral("unknown Zoho module %1 (expected %2)")
                                 .arg(quoted(it.key()), supportedModules().join(QStringLiteral(" or "))));
                continue;
            }
            const QJsonObject module = it.value().toObject();
            if (!it.value().isObject() || !module.value(QStringLiteral("rules")).isArray()) {
                p.fail(path, QStringLiteral("must be an object with a \"rules\" list"));
                continue;
            }
            p.checkKeys(module, path, {QStringLiteral("rules")}, QString());
            QList<FieldRule> rules;
            const QJsonArray a = module.value(QStringLiteral("rules")).toArray();
            for (int i = 0; i < a.size(); ++i) {
                if (const auto r = p.rule(a.at(i), rulePath(it.key(), i)))
                    rules.append(*r);
                else
                    rules.append(FieldRule()); // keeps later indices right
            }
            set.m_rules.insert(it.key(), rules);
        }
    }

    QStringList problems = p.problems;
    if (problems.isEmpty())
        problems = set.problems(); // semantic checks only make sense on a structurally sound set
    if (!problems.isEmpty())
        return Error(Error::Kind::InvalidInput, problems.join(QLatin1Char('\n')));
    return set;
}

QStringList MappingSet::problems() const
{
    QStringList out;
    if (m_version < 1)
        out.append(QStringLiteral("version: must be a positive whole number"));
    for (const QString& module : m_rules.keys())
        out += moduleProblems(module);
    return out;
}

QStringList MappingSet::moduleProblems(const QString& module) const
{
    QStringList out;
    const QString modulePath = QStringLiteral("modules.") + module;
    if (!supportedModules().contains(module)) {
        out.append(QStringLiteral("%1: unknown Zoho module %2 (expected %3)")
                       .arg(modulePath, quoted(module), supportedModules().join(QStringLiteral(" or "))));
        return out;
    }
    const QList<FieldRule> rules = m_rules.value(module);
    QMap<QString, int> writtenBy;
    for (int i = 0; i < rules.size(); ++i) {
        const QString path = rulePath(module, i);
        out += ruleProblems(rules.at(i), path);
        for (const QString& field : rules.at(i).writes()) {
            if (field.isEmpty())
                continue;
            const auto previous = writtenBy.constFind(field);
            if (previous != writtenBy.constEnd())
                out.append(QStringLiteral("%1.target: duplicate target %2, already written by rules[%3]")
                               .arg(path, field)
                               .arg(*previous));
            else
                writtenBy.insert(field, i);
        }
    }
    if (!writtenBy.contains(QStringLiteral("OrganizationName")))
        out.append(QStringLiteral("%1: no rule writes OrganizationName, which Oracle requires").arg(modulePath));
    return out;
}

MappingSet MappingSet::defaults()
{
    using K = Transform::Kind;
    const Transform trim(K::Trim);

    FieldRule name;
    name.target = QStringLiteral("OrganizationName");
    name.sources = QStringList{QStringLiteral("First_Name"), QStringLiteral("Last_Name")};
    name.transforms = {trim};
    name.required = true;

    const QList<FieldRule> contactRules = {
        name,
        simpleRule(QStringLiteral("EmailAddress"), QStringLiteral("Email"),
                   {trim, Transform(K::Lower), Transform(K::Email)}),
        phoneRule({QStringLiteral("Phone"), QStringLiteral("Mobile")}, QStringLiteral("Mailing_Country")),
        streetRule(QStringLiteral("Mailing_Street")),
        simpleRule(QStringLiteral("City"), QStringLiteral("Mailing_City")),
        simpleRule(QStringLiteral("State"), QStringLiteral("Mailing_State")),
        simpleRule(QStringLiteral("PostalCode"), QStringLiteral("Mailing_Zip")),
        simpleRule(QStringLiteral("Country"), QStringLiteral("Mailing_Country"), {Transform(K::Country)}),
    };

    FieldRule accountName = simpleRule(QStringLiteral("OrganizationName"), QStringLiteral("Account_Name"));
    accountName.required = true;
    const QList<FieldRule> accountRules = {
        accountName,
        phoneRule({QStringLiteral("Phone")}, QStringLiteral("Billing_Country")),
        simpleRule(QStringLiteral("URL"), QStringLiteral("Website")),
        streetRule(QStringLiteral("Billing_Street")),
        simpleRule(QStringLiteral("City"), QStringLiteral("Billing_City")),
        simpleRule(QStringLiteral("State"), QStringLiteral("Billing_State")),
        // Zoho calls the billing zip Billing_Code, not Billing_Zip.
        simpleRule(QStringLiteral("PostalCode"), QStringLiteral("Billing_Code")),
        simpleRule(QStringLiteral("Country"), QStringLiteral("Billing_Country"), {Transform(K::Country)}),
    };

    MappingSet set;
    set.m_version = 1;
    set.m_rules.insert(contacts(), contactRules);
    set.m_rules.insert(accounts(), accountRules);
    return set;
}

} // namespace Core
