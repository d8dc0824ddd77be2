#include "FieldMapper.h"

#include "OracleFields.h"
#include "PhoneNormaliser.h"
#include "TextTransforms.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStringList>

#include <algorithm>

namespace Core {

namespace {

QString quoted(const QString& s)
{
    return QLatin1Char('"') + s + QLatin1Char('"');
}

int characterCount(const QString& s)
{
    // Oracle limits count characters, not UTF-16 units: "𝔘" is one.
    return static_cast<int>(s.toUcs4().size());
}

struct FieldText
{
    QString text;
    bool isText = true; // false: an object or array where text was expected
};

// Reads a Zoho field; "Account_Name.name" reads into a lookup object.
FieldText readField(const QJsonObject& record, const QString& path)
{
    QJsonValue v = record;
    for (const QString& part : path.split(QLatin1Char('.')))
        v = v.toObject().value(part);
    switch (v.type()) {
    case QJsonValue::String:
        return {v.toString()};
    case QJsonValue::Double: {
        const double d = v.toDouble();
        return {QString::number(d, 'g', 15)};
    }
    case QJsonValue::Bool:
        return {v.toBool() ? QStringLiteral("true") : QStringLiteral("false")};
    case QJsonValue::Object:
    case QJsonValue::Array:
        return {QString(), false};
    default:
        return {};
    }
}

class RuleRun
{
public:
    RuleRun(const FieldRule& rule, const QJsonObject& record, const CountryIndex& countries, MappingResult& result)
        : m_rule(rule)
        , m_record(record)
        , m_countries(countries)
        , m_result(result)
    { }

    void run()
    {
        const qsizetype errorsBefore = m_result.errors().size();
        QString value = readSources();
        if (value.trimmed().isEmpty() && !m_rule.defaultValue.isEmpty())
            value = m_rule.defaultValue;

        bool stopped = false;
        bool wroteSeveral = false;
        for (const Transform& t : m_rule.transforms) {
            if (!apply(t, value)) {
                stopped = true;
                break;
            }
            if (t.writesSeveralFields()) {
                wroteSeveral = true;
                break;
            }
        }
        if (!stopped && !wroteSeveral)
            m_outputs.append({m_rule.target, value});

        bool wroteAny = false;
        for (const auto& [field, text] : std::as_const(m_outputs))
            wroteAny = write(field, text) || wroteAny;

        if (m_rule.required && !wroteAny && m_result.errors().size() == errorsBefore)
            add(FieldDiagnostic::Error, m_rule.target, value,
                QStringLiteral("%1 is required, but %2 %3 no value")
                    .arg(m_rule.target, m_rule.sources.join(QStringLiteral(", ")),
                         m_rule.sources.size() == 1 ? QStringLiteral("gives") : QStringLiteral("give")));
    }

private:
    QString readSources()
    {
        QStringList parts;
        QStringList used;
        for (const QString& source : m_rule.sources) {
            const FieldText field = readField(m_record, source);
            if (!field.isText) {
                add(FieldDiagnostic::Warning, m_rule.target, QString(),
                    QStringLiteral("Zoho field %1 holds an object or list, not text; not used for %2")
                        .arg(source, m_rule.target),
                    source);
                continue;
            }
            if (field.text.trimmed().isEmpty())
                continue;
            if (m_rule.combine == FieldRule::Combine::FirstNonEmpty) {
                m_source = source;
                return field.text;
            }
            // Joined parts are trimmed so the separator is never doubled ("Zoë" + " " + "Müller").
            parts.append(m_rule.sources.size() > 1 ? field.text.trimmed() : field.text);
            used.append(source);
        }
        m_source = used.isEmpty() ? m_rule.sources.join(QStringLiteral(", ")) : used.join(QStringLiteral(", "));
        return parts.join(m_rule.separator);
    }

    // false: the rule stops here (its field is left out, with a diagnostic).
    bool apply(const Transform& t, QString& value)
    {
        const bool empty = value.trimmed().isEmpty();
        switch (t.kind) {
        case Transform::Kind::Trim:
            value = value.trimmed();
            return true;
        case Transform::Kind::Upper:
            value = value.toUpper();
            return true;
        case Transform::Kind::Lower:
            value = value.toLower();
            return true;
        case Transform::Kind::Title:
            value = TextTransforms::title(value);
            return true;
        case Transform::Kind::ValueMap:
            if (!value.isEmpty())
                value = TextTransforms::mapValue(value, t.map, t.otherwise);
            else if (t.map.contains(QString()))
                value = t.map.value(QString());
            return true;
        case Transform::Kind::Default:
            if (empty)
                value = t.value;
            return true;
        case Transform::Kind::Required:
            if (!empty)
                return true;
            add(FieldDiagnostic::Error, m_rule.target, value,
                QStringLiteral("%1 is required, but %2 gives no value").arg(m_rule.target, m_source));
            return false;
        case Transform::Kind::MaxLength: {
            const int limit = t.maxLength > 0 ? t.maxLength : OracleFields::maxLength(m_rule.target);
            if (limit <= 0 || characterCount(value) <= limit)
                return true;
            add(FieldDiagnostic::Error, m_rule.target, value,
                QStringLiteral("%1 from %2 is %3 characters long; at most %4 are allowed")
                    .arg(m_rule.target, m_source)
                    .arg(characterCount(value))
                    .arg(limit));
            return false;
        }
        case Transform::Kind::Email:
            if (empty || TextTransforms::isValidEmail(value))
                return true;
            add(FieldDiagnostic::Warning, m_rule.target, value,
                QStringLiteral("%1 %2 is not a valid e-mail address; %3 left out")
                    .arg(m_source, quoted(value), m_rule.target));
            return false;
        case Transform::Kind::Country: {
            if (empty)
                return true;
            const CountryIndex::Match match = m_countries.lookup(value);
            if (match.found()) {
                value = match.alpha2;
                return true;
            }
            const QString why = match.conflicts.isEmpty()
                                    ? QStringLiteral("is not a known country name or ISO 3166 code")
                                    : QStringLiteral("could mean several countries (%1)")
                                          .arg(match.conflicts.join(QStringLiteral(", ")));
            add(FieldDiagnostic::Warning, m_rule.target, value,
                QStringLiteral("%1 %2 %3; %4 left empty").arg(m_source, quoted(value.trimmed()), why, m_rule.target));
            return false;
        }
        case Transform::Kind::Phone:
            phone(t, value);
            return true;
        case Transform::Kind::StreetLines:
            streetLines(value);
            return true;
        }
        return true;
    }

    void phone(const Transform& t, const QString& value)
    {
        const QString input = value.trimmed();
        if (input.isEmpty())
            return;
        QString region = t.defaultRegion;
        QString hintNote;
        if (!t.regionFrom.isEmpty()) {
            const QString country = readField(m_record, t.regionFrom).text.trimmed();
            if (!country.isEmpty()) {
                const QString code = m_countries.alpha2(country);
                if (!code.isEmpty())
                    region = code;
                else
                    hintNote = QStringLiteral(" (%1 %2 is not a known country)").arg(t.regionFrom, quoted(country));
            }
        }
        const Result<PhoneParts> parts = PhoneNormaliser::normalise(input, region);
        if (!parts.ok()) {
            add(FieldDiagnostic::Warning, QStringLiteral("PhoneNumber"), input,
                QStringLiteral("%1 %2 %3%4; kept as %5")
                    .arg(m_source, quoted(input), parts.error().message, hintNote, OracleFields::rawPhoneNumber()));
            m_outputs.append({OracleFields::rawPhoneNumber(), input});
            return;
        }
        const QStringList targets = OracleFields::phoneTargets();
        m_outputs.append({targets.at(0), parts.value().countryCode});
        m_outputs.append({targets.at(1), parts.value().areaCode});
        m_outputs.append({targets.at(2), parts.value().number});
        m_outputs.append({OracleFields::phoneExtension(), parts.value().extension});
    }

    void streetLines(const QString& value)
    {
        const QStringList targets = m_rule.targets();
        const int lineLimit = OracleFields::maxLength(targets.constFirst());
        const TextTransforms::StreetLines split =
            TextTransforms::splitStreet(value, static_cast<int>(targets.size()), lineLimit > 0 ? lineLimit : 240);
        for (int i = 0; i < split.lines.size() && i < targets.size(); ++i)
            m_outputs.append({targets.at(i), split.lines.at(i)});
        if (split.overflow > 0) {
            const int total = static_cast<int>(targets.size()) + split.overflow;
            add(FieldDiagnostic::Warning, targets.constLast(), value,
                QStringLiteral("%1 has %2 address lines but Oracle takes %3; lines %3–%2 were joined into %4")
                    .arg(m_source)
                    .arg(total)
                    .arg(targets.size())
                    .arg(targets.constLast()));
        }
    }

    // Puts a value into the payload unless it is empty or too long; true when written.
    bool write(const QString& field, const QString& text)
    {
        if (text.trimmed().isEmpty())
            return false;
        const int limit = OracleFields::maxLength(field);
        const int length = characterCount(text);
        if (limit > 0 && length > limit) {
            add(FieldDiagnostic::Error, field, text,
                QStringLiteral(
                    "%1 from %2 is %3 characters long; Oracle allows at most %4, so it was not cut but left out")
                    .arg(field, m_source)
                    .arg(length)
                    .arg(limit));
            return false;
        }
        m_result.payload.insert(field, text);
        return true;
    }

    void add(FieldDiagnostic::Severity severity,
             const QString& target,
             const QString& value,
             const QString& message,
             const QString& source = QString())
    {
        FieldDiagnostic d;
        d.severity = severity;
        d.target = target;
        d.source = source.isEmpty() ? m_source : source;
        d.value = value;
        d.message = message;
        m_result.diagnostics.append(d);
    }

    const FieldRule& m_rule;
    const QJsonObject& m_record;
    const CountryIndex& m_countries;
    MappingResult& m_result;
    QString m_source; // the Zoho field(s) the value came from, for messages
    QList<std::pair<QString, QString>> m_outputs;
};

// Comparable form of a value: strings simplified, numbers as text, e-mail and country case-insensitive.
QString comparable(const QString& field, const QJsonValue& v)
{
    QString s;
    switch (v.type()) {
    case QJsonValue::String:
        s = v.toString().simplified();
        break;
    case QJsonValue::Double:
        s = QString::number(v.toDouble(), 'g', 15);
        break;
    case QJsonValue::Bool:
        s = v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
        break;
    case QJsonValue::Object:
    case QJsonValue::Array:
        s = QString::fromUtf8(
            (v.isObject() ? QJsonDocument(v.toObject()) : QJsonDocument(v.toArray())).toJson(QJsonDocument::Compact));
        break;
    default:
        break;
    }
    if (field == QLatin1String("EmailAddress") || field == QLatin1String("Country"))
        s = s.toCaseFolded();
    return s;
}

void canonical(const QJsonValue& v, QByteArray& out)
{
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        QStringList keys = o.keys();
        std::sort(keys.begin(), keys.end()); // by UTF-16 code units: independent of locale and insertion order
        out += '{';
        for (int i = 0; i < keys.size(); ++i) {
            if (i > 0)
                out += ',';
            canonical(QJsonValue(keys.at(i)), out);
            out += ':';
            canonical(o.value(keys.at(i)), out);
        }
        out += '}';
    } else if (v.isArray()) {
        const QJsonArray a = v.toArray();
        out += '[';
        for (int i = 0; i < a.size(); ++i) {
            if (i > 0)
                out += ',';
            canonical(a.at(i), out);
        }
        out += ']';
    } else {
        // Let Qt escape the scalar by wrapping it in a one-element array and dropping the brackets.
        const QByteArray wrapped = QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact);
        out += wrapped.mid(1, wrapped.size() - 2);
    }
}

} // namespace

bool MappingResult::ok() const
{
    return std::none_of(diagnostics.cbegin(), diagnostics.cend(),
                        [](const FieldDiagnostic& d) { return d.severity == FieldDiagnostic::Error; });
}

QList<FieldDiagnostic> MappingResult::errors() const
{
    QList<FieldDiagnostic> out;
    std::copy_if(diagnostics.cbegin(), diagnostics.cend(), std::back_inserter(out),
                 [](const FieldDiagnostic& d) { return d.severity == FieldDiagnostic::Error; });
    return out;
}

QList<FieldDiagnostic> MappingResult::warnings() const
{
    QList<FieldDiagnostic> out;
    std::copy_if(diagnostics.cbegin(), diagnostics.cend(), std::back_inserter(out),
                 [](const FieldDiagnostic& d) { return d.severity == FieldDiagnostic::Warning; });
    return out;
}

bool MappingPreview::hasChanges() const
{
    return std::any_of(changes.cbegin(), changes.cend(),
                       [](const FieldChange& c) { return c.kind != FieldChange::Unchanged; });
}

FieldMapper::FieldMapper(const CountryIndex& countries)
    : m_countries(&countries)
{ }

MappingResult FieldMapper::map(const MappingSet& mapping, const QString& module, const QJsonObject& zohoRecord) const
{
    MappingResult result;
    auto fail = [&](const QString& target, const QString& source, const QString& message) {
        result.diagnostics.append({FieldDiagnostic::Error, target, source, QString(), message});
    };
    if (!mapping.hasModule(module)) {
        fail(QString(), QString(), QStringLiteral("The mapping has no rules for Zoho module %1").arg(quoted(module)));
        return result;
    }
    // A set built in code may never have passed fromJson: check it rather than map nonsense.
    const QStringList problems = mapping.moduleProblems(module);
    if (!problems.isEmpty()) {
        for (const QString& p : problems)
            fail(QString(), QString(), QStringLiteral("Mapping rule problem: ") + p);
        return result;
    }

    const FieldText id = readField(zohoRecord, QStringLiteral("id"));
    if (id.text.trimmed().isEmpty())
        fail(OracleFields::sourceReference(), QStringLiteral("id"), QStringLiteral("The Zoho record has no id"));
    else
        result.payload.insert(OracleFields::sourceReference(), id.text.trimmed());

    for (const FieldRule& rule : mapping.rules(module))
        RuleRun(rule, zohoRecord, *m_countries, result).run();
    return result;
}

MappingPreview FieldMapper::preview(const MappingSet& mapping,
                                    const QString& module,
                                    const QJsonObject& zohoRecord,
                                    const std::optional<QJsonObject>& currentOracleItem) const
{
    MappingPreview preview;
    preview.result = map(mapping, module, zohoRecord);

    // The fields this mapping manages, in rule order; other Oracle fields (PartyId, links, …) are not ours.
    QStringList fields{OracleFields::sourceReference()};
    for (const FieldRule& rule : mapping.rules(module)) {
        for (const QString& f : rule.writes()) {
            if (!f.isEmpty() && !fields.contains(f))
                fields.append(f);
        }
    }
    for (const QString& f : preview.result.payload.keys()) {
        if (!fields.contains(f))
            fields.append(f);
    }

    for (const QString& field : std::as_const(fields)) {
        const QJsonValue after = preview.result.payload.value(field);
        const QJsonValue before =
            currentOracleItem ? currentOracleItem->value(field) : QJsonValue(QJsonValue::Undefined);
        const bool hasAfter = !comparable(field, after).isEmpty();
        const bool hasBefore = !comparable(field, before).isEmpty();
        if (!hasAfter && !hasBefore)
            continue;
        FieldChange change;
        change.field = field;
        change.before = hasBefore ? before : QJsonValue(QJsonValue::Undefined);
        change.after = hasAfter ? after : QJsonValue(QJsonValue::Undefined);
        if (!hasBefore)
            change.kind = FieldChange::New;
        else if (!hasAfter)
            change.kind = FieldChange::Removed;
        else if (comparable(field, before) == comparable(field, after))
            change.kind = FieldChange::Unchanged;
        else
            change.kind = FieldChange::Changed;
        preview.changes.append(change);
    }
    return preview;
}

QByteArray FieldMapper::payloadHash(const QJsonObject& payload)
{
    QByteArray bytes;
    canonical(payload, bytes);
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
}

} // namespace Core
