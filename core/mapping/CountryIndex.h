#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

#include <array>

namespace Core {

// Resolves a country name or code, as people type it into a CRM, to an ISO 3166-1 alpha-2 code.
// The only data are Debian's iso-codes (alpha-2/alpha-3/numeric codes, names, official and common names) and
// Qt's locale data (English territory names and every locale's native name, e.g. "Deutschland", "日本"):
// no hand-written aliases. Matching ignores case, accents, spaces and punctuation ("U.S.A." == "usa").
// Immutable once built; share one through shared() or build one from other data for tests.
class CountryIndex
{
public:
    struct Match
    {
        QString alpha2;        // empty when nothing (or more than one country) matched
        QStringList conflicts; // the codes an ambiguous input could mean
        bool found() const { return !alpha2.isEmpty(); }
    };

    // isoCodesJson: the content of iso_3166-1.json; empty or broken → only Qt's locale data is used and
    // loadError() says why.
    explicit CountryIndex(const QByteArray& isoCodesJson);

    static CountryIndex fromFile(const QString& path);
    static QString defaultDataPath();
    // Built once, on first use, from defaultDataPath(); never changes afterwards.
    static const CountryIndex& shared();

    Match lookup(const QString& nameOrCode) const;
    QString alpha2(const QString& nameOrCode) const { return lookup(nameOrCode).alpha2; }
    // The iso-codes English name of a code ("DE" → "Germany"), for messages.
    QString name(const QString& alpha2) const;
    int countryCount() const { return m_names.size(); }
    bool hasIsoCodes() const { return m_loadError.isEmpty(); }
    QString loadError() const { return m_loadError; }

    // Case-folded, accents and everything but letters and digits dropped.
    static QString normalise(const QString& text);

private:
    // Earlier tiers win: codes, then iso-codes names, then Qt's English names, then native names.
    enum Tier { Codes, IsoNames, QtNames, NativeNames, TierCount };
    void add(Tier tier, const QString& key, const QString& alpha2);

    std::array<QHash<QString, QStringList>, TierCount> m_tiers;
    QHash<QString, QString> m_names; // alpha-2 → English name
    QString m_loadError;
};

} // namespace Core
