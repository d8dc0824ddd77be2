#include "CountryIndex.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

namespace Core {

CountryIndex::CountryIndex(const QByteArray& isoCodesJson)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(isoCodesJson, &parseError);
    const QJsonArray entries = doc.object().value(QStringLiteral("3166-1")).toArray();
    if (isoCodesJson.isEmpty())
        m_loadError = QStringLiteral("no iso-codes data");
    else if (parseError.error != QJsonParseError::NoError)
        m_loadError = QStringLiteral("iso-codes data is not JSON: %1").arg(parseError.errorString());
    else if (entries.isEmpty())
        m_loadError = QStringLiteral("iso-codes data has no \"3166-1\" list");

    for (const QJsonValue& v : entries) {
        const QJsonObject e = v.toObject();
        const QString a2 = e.value(QStringLiteral("alpha_2")).toString().toUpper();
        if (a2.size() != 2)
            continue;
        const QString name = e.value(QStringLiteral("name")).toString();
        m_names.insert(a2, name.isEmpty() ? a2 : name);
        add(Codes, a2, a2);
        add(Codes, e.value(QStringLiteral("alpha_3")).toString(), a2);
        add(Codes, e.value(QStringLiteral("numeric")).toString(), a2);
        for (const char* key : {"name", "official_name", "common_name"})
            add(IsoNames, e.value(QLatin1String(key)).toString(), a2);
    }

    // Qt knows some territories iso-codes does not (e.g. XK, 419 "Latin America"): with iso-codes loaded,
    // only codes iso-codes lists count, so the result is always a real ISO 3166-1 code.
    const bool restrictToIso = !m_names.isEmpty();
    const QList<QLocale> locales =
        QLocale::matchingLocales(QLocale::AnyLanguage, QLocale::AnyScript, QLocale::AnyTerritory);
    QHash<QLocale::Territory, QString> codeOf;
    auto codeFor = [&](QLocale::Territory t) -> QString {
        auto it = codeOf.constFind(t);
        if (it != codeOf.constEnd())
            return *it;
        QString code = QLocale::territoryToCode(t).toUpper();
        const bool usable = code.size() == 2 && code.at(0).isLetter() && code.at(1).isLetter() &&
                            (!restrictToIso || m_names.contains(code));
        if (!usable)
            code.clear();
        codeOf.insert(t, code);
        return code;
    };
    for (int t = QLocale::AnyTerritory + 1; t <= QLocale::LastTerritory; ++t) {
        const auto territory = static_cast<QLocale::Territory>(t);
        const QString code = codeFor(territory);
        if (code.isEmpty())
            continue;
        if (!restrictToIso) {
            add(Codes, code, code);
            if (!m_names.contains(code))
                m_names.insert(code, QLocale::territoryToString(territory));
        }
        add(QtNames, QLocale::territoryToString(territory), code);
    }
    for (const QLocale& locale : locales) {
        const QString code = codeFor(locale.territory());
        if (!code.isEmpty())
            add(NativeNames, locale.nativeTerritoryName(), code);
    }
}

CountryIndex CountryIndex::fromFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        CountryIndex index{QByteArray()};
        index.m_loadError = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return index;
    }
    return CountryIndex(file.readAll());
}

QString CountryIndex::defaultDataPath()
{
    return QStringLiteral("/usr/share/iso-codes/json/iso_3166-1.json");
}

const CountryIndex& CountryIndex::shared()
{
    // A function-local static of an immutable type: built once, thread-safe, never modified.
    static const CountryIndex index = fromFile(defaultDataPath());
    return index;
}

void CountryIndex::add(Tier tier, const QString& key, const QString& alpha2)
{
    const QString k = normalise(key);
    if (k.isEmpty())
        return;
    QStringList& codes = m_tiers[tier][k];
    if (!codes.contains(alpha2))
        codes.append(alpha2);
}

CountryIndex::Match CountryIndex::lookup(const QString& nameOrCode) const
{
    const QString key = normalise(nameOrCode);
    if (key.isEmpty())
        return {};
    for (const auto& tier : m_tiers) {
        const auto it = tier.constFind(key);
        if (it == tier.constEnd())
            continue;
        if (it->size() == 1)
            return {it->constFirst(), {}};
        QStringList conflicts = *it;
        conflicts.sort();
        return {QString(), conflicts};
    }
    return {};
}

QString CountryIndex::name(const QString& alpha2) const
{
    return m_names.value(alpha2.toUpper());
}

QString CountryIndex::normalise(const QString& text)
{
    const QString decomposed = text.normalized(QString::NormalizationForm_KD);
    QString out;
    out.reserve(decomposed.size());
    for (const QChar c : decomposed) {
        // Letters and digits only: drops accents (combining marks), spaces, dots, apostrophes, hyphens.
        if (c.isLetterOrNumber())
            out.append(c);
    }
    return out.toCaseFolded();
}

} // namespace Core
