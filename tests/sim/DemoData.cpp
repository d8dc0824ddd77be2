#include "DemoData.h"

#include "JsonUtil.h"
#include "OracleStore.h"
#include "SimContext.h"
#include "TimeUtil.h"
#include "ZohoRecordStore.h"

#include <QJsonObject>
#include <QStringList>
#include <QVector>

namespace Sim {

namespace {
constexpr qint64 kEpochMs = 1767225600000LL; // 2026-01-01T00:00:00Z
constexpr qint64 kDayMs = 24LL * 60 * 60 * 1000;

QString u8(const char* s)
{
    return QString::fromUtf8(s);
}

QStringList list(std::initializer_list<const char*> items)
{
    QStringList out;
    for (const char* s : items)
        out.append(QString::fromUtf8(s));
    return out;
}

struct Locale
{
    QString iso;
    QStringList countries; // spellings as people type them
    QStringList cities;
    QStringList states; // parallel to cities
    QString zip;        // '#' = digit
    QStringList phones; // '#' = digit
    QStringList firstNames;
    QStringList lastNames;
    QStringList companyWords;
    QStringList suffixes;
    QString tld;
    QStringList streets;
};

const QVector<Locale>& locales()
{
    static const QVector<Locale> all = {
        {u8("DE"), list({"Deutschland", "Germany", "DE", "germany", "GER"}),
         list({"M\u00fcnchen", "Berlin", "K\u00f6ln", "Hamburg", "Frankfurt am Main"}),
         list({"Bayern", "Berlin", "Nordrhein-Westfalen", "Hamburg", "Hessen"}), u8("#####"),
         list({"+49 (0)89 ###-####", "089 #######", "+49 30 ########", "0049 221 #######"}),
         list({"J\u00fcrgen", "Anna", "Klaus", "Sabine", "J\u00f6rg", "Lena", "Matthias", "Ute"}),
         list({"M\u00fcller", "Schmidt", "Sch\u00e4fer", "Gro\u00df", "Wei\u00df", "Becker", "K\u00f6hler", "Wagner"}),
         list({"Bergmann", "Nordlicht", "Schwarzwald", "Alpen", "Rhein", "Isar"}),
         list({"GmbH", "AG", "GmbH & Co. KG", "e.K."}), u8("de"),
         list({"Leopoldstra\u00dfe ##", "Hauptstr. ##", "Am Markt #", "K\u00f6nigsallee ##a"})},
        {u8("US"), list({"United States", "USA", "US", "U.S.A.", "United States of America"}),
         list({"San Francisco", "New York", "Austin", "Chicago", "Seattle"}), list({"CA", "NY", "Texas", "IL", "WA"}),
         u8("#####"),
         list({"(555) 010-####", "(555) 010-#### ext. ##", "555.010.####", "+1 415-555-####", "1-800-555-####"}),
         list({"James", "Mary", "Robert", "Jennifer", "Michael", "Linda", "Chris", "Patricia"}),
         list({"Smith", "Johnson", "Williams", "Brown", "O'Connor", "Garc\u00eda", "Lee", "Miller"}),
         list({"Summit", "Pioneer", "Blue Ridge", "Golden Gate", "Liberty", "Redwood"}),
         list({"Inc.", "LLC", "Corp.", "Co."}), u8("com"),
         list({"### Main St", "## Market Street", "#### Elm Ave", "## Broadway"})},
        {u8("GB"), list({"U.K.", "United Kingdom", "UK", "England", "Great Britain"}),
         list({"London", "Manchester", "Edinburgh", "Bristol", "Leeds"}),
         list({"", "Greater Manchester", "Scotland", "", "West Yorkshire"}), u8("SW1A #AA"),
         list({"0044 20 7946 0###", "+44 (0)20 7946 0###", "020 7946 0###", "07700 900###"}),
         list({"Oliver", "Amelia", "Harry", "Isla", "George", "Siobh\u00e1n", "Ava", "Jack"}),
         list({"Taylor", "Davies", "Evans", "Wilson", "Thomas", "Smythe-Jones", "Roberts", "Walker"}),
         list({"Thames", "Albion", "Crown", "Highland", "Pennine", "Cotswold"}), list({"Ltd", "PLC", "Ltd."}),
         u8("co.uk"), list({"## Baker Street", "# High Street", "## Queen's Road", "Flat #\n## Victoria Road"})},
        {u8("BR"), list({"Brasil", "Brazil", "BR"}),
         list({"S\u00e3o Paulo", "Rio de Janeiro", "Belo Horizonte", "Curitiba"}), list({"SP", "RJ", "MG", "PR"}),
         u8("#####-###"), list({"+55 11 9####-####", "(11) ####-####", "+55 (21) ####-####"}),
         list({"Jo\u00e3o", "Maria", "Jos\u00e9", "Ana", "Lu\u00edza", "Pedro", "Gon\u00e7alo", "B\u00e1rbara"}),
         list({"Silva", "Santos", "Oliveira", "Souza", "Concei\u00e7\u00e3o", "Gon\u00e7alves", "Ara\u00fajo",
               "Pereira"}),
         list({"Horizonte", "Paulista", "Amaz\u00f4nia", "Ipanema", "Cerrado", "Atl\u00e2ntico"}),
         list({"Ltda.", "S.A."}), u8("com.br"), list({"Av. Paulista, ####", "Rua Augusta, ###", "Rua das Flores, ##"})},
        {u8("JP"), list({"\u65e5\u672c", "Japan", "JP", "\u65e5\u672c\u56fd"}),
         list({"\u5343\u4ee3\u7530\u533a", "\u5927\u962a\u5e02", "\u6a2a\u6d5c\u5e02", "\u672d\u5e4c\u5e02"}),
         list({"\u6771\u4eac\u90fd", "\u5927\u962a\u5e9c", "\u795e\u5948\u5ddd\u770c", "\u5317\u6d77\u9053"}),
         u8("###-####"), list({"03-####-####", "+81 3-####-####", "090-####-####", "06-####-####"}),
         list({"\u592a\u90ce", "\u82b1\u5b50", "\u5065", "\u3055\u304f\u3089", "Yuki", "Haruto", "\u7fd4\u592a",
               "\u9678"}),
         list({"\u5c71\u7530", "\u4f50\u85e4", "\u9234\u6728", "\u9ad8\u6a4b", "Tanaka", "\u6e21\u8fba", "\u4f0a\u85e4",
               "\u4e2d\u6751"}),
         list({"\u5bcc\u58eb\u7cbe\u5bc6", "\u685c\u30c6\u30af\u30ce\u30ed\u30b8\u30fc", "\u6771\u4eac\u7269\u7523",
               "Sakura Robotics", "Nippon Trading"}),
         list({"\u682a\u5f0f\u4f1a\u793e", "K.K.", "Co., Ltd."}), u8("co.jp"),
         list({"\u4e38\u306e\u5185#-#-#", "\u6885\u7530#-##-##", "Minato-ku #-#-#"})},
        {u8("FR"), list({"France", "FR", "R\u00e9publique fran\u00e7aise", "france"}),
         list({"Paris", "Lyon", "Marseille", "Toulouse", "Lille"}),
         list({"\u00cele-de-France", "Auvergne-Rh\u00f4ne-Alpes", "Provence-Alpes-C\u00f4te d'Azur", "Occitanie",
               "Hauts-de-France"}),
         u8("#####"), list({"+33 1 ## ## ## ##", "01 ## ## ## ##", "+33 (0)4 ## ## ## ##"}),
         list({"Chlo\u00e9", "L\u00e9a", "Fran\u00e7ois", "H\u00e9l\u00e8ne", "Th\u00e9o", "No\u00ebl", "Ma\u00ebl",
               "Ana\u00efs"}),
         list({"Dubois", "Lef\u00e8vre", "Moreau", "Girard", "B\u00e9renger", "Rousseau", "Fa\u00efdi", "Le Gall"}),
         list({"Lumi\u00e8re", "C\u00f4te d'Azur", "Bourgogne", "\u00c9toile", "Provence", "Loire"}),
         list({"SARL", "S.A.S.", "SA"}), u8("fr"),
         list({"## rue de Rivoli", "# avenue des Champs-\u00c9lys\u00e9es", "## boulevard Haussmann"})},
        {u8("ES"), list({"Espa\u00f1a", "Spain", "ES", "Espana"}), list({"Madrid", "Barcelona", "Sevilla", "Valencia"}),
         list({"Madrid", "Catalu\u00f1a", "Andaluc\u00eda", "Comunidad Valenciana"}), u8("#####"),
         list({"+34 9## ### ###", "9## ## ## ##", "6## ### ###"}),
         list({"Jos\u00e9", "Mar\u00eda", "\u00c0lex", "Luc\u00eda", "\u00cd\u00f1igo", "Nuria", "Sergio",
               "Roc\u00edo"}),
         list({"\u00d1\u00fa\u00f1ez", "Garc\u00eda", "Mart\u00ednez", "L\u00f3pez", "Fern\u00e1ndez", "Pe\u00f1a",
               "Ib\u00e1\u00f1ez", "Castillo"}),
         list({"Ib\u00e9rica", "Costa Brava", "Andaluza", "Cant\u00e1brica", "Mediterr\u00e1nea"}),
         list({"S.L.", "S.A."}), u8("es"),
         list({"Calle Mayor, ##", "Gran V\u00eda ##, #\u00ba", "Passeig de Gr\u00e0cia, ##"})},
        {u8("DK"), list({"Danmark", "Denmark", "DK"}), list({"K\u00f8benhavn", "Aarhus", "Odense", "Aalborg"}),
         list({"Hovedstaden", "Midtjylland", "Syddanmark", "Nordjylland"}), u8("####"),
         list({"+45 ## ## ## ##", "########"}),
         list({"S\u00f8ren", "Mette", "Jens", "Astrid", "Bj\u00f8rn", "Signe", "Frederik", "Ida"}),
         list(
             {"J\u00f8rgensen", "Nielsen", "Hansen", "\u00d8stergaard", "Kj\u00e6r", "Pedersen", "Andersen", "Larsen"}),
         list({"Nordisk", "S\u00f8holm", "Vesterhav", "Fyn", "\u00d8resund"}), list({"A/S", "ApS"}), u8("dk"),
         list({"Kraftv\u00e6rksvej ##", "Str\u00f8get ##", "N\u00f8rregade #"})},
        {u8("PL"), list({"Polska", "Poland", "PL"}),
         list({"Warszawa", "Krak\u00f3w", "\u0141\u00f3d\u017a", "Wroc\u0142aw"}),
         list({"mazowieckie", "ma\u0142opolskie", "\u0142\u00f3dzkie", "dolno\u015bl\u0105skie"}), u8("##-###"),
         list({"+48 22 ### ## ##", "22 ###-##-##", "+48 ### ### ###"}),
         list(
             {"\u0141ukasz", "Zofia", "Micha\u0142", "Agnieszka", "Pawe\u0142", "Ma\u0142gorzata", "Krzysztof", "Ewa"}),
         list({"Kowalski", "Wi\u015bniewska", "W\u00f3jcik", "Nowak", "Lewandowski", "D\u0105browska", "Zieli\u0144ski",
               "Szyma\u0144ska"}),
         list({"Wis\u0142a", "Ba\u0142tyk", "Tatry", "Mazowsze", "Pomorze"}), list({"Sp. z o.o.", "S.A."}), u8("pl"),
         list({"ul. Marsza\u0142kowska ##", "ul. Piotrkowska ###", "al. Jerozolimskie ##"})},
        {u8("SE"), list({"Sverige", "Sweden", "SE"}), list({"Stockholm", "G\u00f6teborg", "Malm\u00f6", "Uppsala"}),
         list(
             {"Stockholms l\u00e4n", "V\u00e4stra G\u00f6talands l\u00e4n", "Sk\u00e5ne l\u00e4n", "Uppsala l\u00e4n"}),
         u8("### ##"), list({"+46 8 ### ### ##", "08-### ### ##", "070-### ## ##"}),
         list({"\u00c5sa", "Bj\u00f6rn", "M\u00e4rta", "Erik", "Linn\u00e9a", "G\u00f6ran", "Karin", "Nils"}),
         list({"Andersson", "Johansson", "\u00c5berg", "Lindstr\u00f6m", "S\u00f6derberg", "Nystr\u00f6m", "Karlsson",
               "Berg"}),
         list({"Norrland", "Sk\u00e5ne", "G\u00f6ta", "Fj\u00e4ll", "M\u00e4laren"}), list({"AB", "HB"}), u8("se"),
         list({"Drottninggatan ##", "Kungsgatan #", "S\u00f6dra v\u00e4gen ##"})},
        {u8("IN"), list({"India", "IN", "Bharat", "INDIA"}), list({"Bengaluru", "Mumbai", "New Delhi", "Chennai"}),
         list({"Karnataka", "Maharashtra", "Delhi", "Tamil Nadu"}), u8("######"),
         list({"+91 80 #### ####", "098### #####", "+91-22-########"}),
         list({"Priya", "Arjun", "Ananya", "Rahul", "Deepika", "Vikram", "Kavya", "Aditya"}),
         list({"Sharma", "Patel", "Iyer", "Reddy", "Gupta", "Nair", "Menon", "Singh"}),
         list({"Sahyadri", "Ganga", "Deccan", "Himalaya", "Coromandel"}), list({"Pvt. Ltd.", "Ltd.", "LLP"}), u8("in"),
         list({"## MG Road", "Plot ##, Sector #", "### Anna Salai"})},
        {u8("CA"), list({"Canada", "CA", "canada"}), list({"Toronto", "Montr\u00e9al", "Vancouver", "Calgary"}),
         list({"ON", "QC", "BC", "Alberta"}), u8("M#V #T#"),
         list({"+1 (416) 555-####", "514.555.####", "604-555-####"}),
         list({"\u00c9milie", "Liam", "Olivia", "\u00c9tienne", "Noah", "Chlo\u00e9", "Ga\u00ebtan", "Maya"}),
         list({"Tremblay", "Gagnon", "Roy", "C\u00f4t\u00e9", "MacDonald", "Bouchard", "Gauthier", "Morin"}),
         list({"Maple", "Laurentian", "Rocky Mountain", "Qu\u00e9b\u00e9cois", "Nunavik"}),
         list({"Inc.", "Lt\u00e9e", "Corp."}), u8("ca"),
         list({"### rue Sainte-Catherine", "## King Street West", "#### Granville St"})},
    };
    return all;
}

const QStringList& industries()
{
    static const QStringList i = list({"Manufacturing", "Technology", "Retail", "Food & Beverage", "Logistics",
                                       "Energy", "Healthcare", "Financial Services", "Consulting", "Textiles"});
    return i;
}

const QStringList& nouns()
{
    static const QStringList n = list({"Logistics", "Systems", "Foods", "Tools", "Energy", "Textiles", "Pharma",
                                       "Software", "Trading", "Consulting", "Maschinenbau", "Industries"});
    return n;
}

class Generator
{
public:
    Generator(SimContext& ctx, ZohoRecordStore& zoho, OracleStore& oracle)
        : m_ctx(ctx)
        , m_zoho(zoho)
        , m_oracle(oracle)
    { }

    void demo()
    {
        specialAccounts();
        while (m_accounts.size() < 150)
            account(pickLocale());
        specialContacts();
        while (m_contactCount < 300)
            contact(pickLocale(), m_ctx.rng.bounded(100) < 85);
        oracleParties();
    }

    void bulkAccounts(int n)
    {
        for (int i = 1; i <= n; ++i) {
            const qint64 t = kEpochMs + qint64(i) * 60000;
            QJsonObject f{
                {QStringLiteral("Account_Name"), QStringLiteral("Bulk Account %1 Ltd").arg(i, 5, 10, QLatin1Char('0'))},
                {QStringLiteral("Account_Number"), QStringLiteral("BULK-%1").arg(i)},
                {QStringLiteral("Phone"), QStringLiteral("+1 555 01%1").arg(i % 100000, 5, 10, QLatin1Char('0'))},
                {QStringLiteral("Website"), QStringLiteral("https://bulk%1.example.com").arg(i)},
                {QStringLiteral("Industry"), industries().at(i % industries().size())},
                {QStringLiteral("Billing_Street"), QStringLiteral("%1 Bulk Street").arg(i)},
                {QStringLiteral("Billing_City"), QStringLiteral("Springfield")},
                {QStringLiteral("Billing_Code"), QStringLiteral("%1").arg(10000 + i % 90000)},
                {QStringLiteral("Billing_Country"), QStringLiteral("US")}};
            const qint64 id = m_zoho.insertSeed(ZohoModule::Accounts, f, t, t, m_zoho.crmUser(i));
            m_bulkAccounts.append({id, f.value(QStringLiteral("Account_Name")).toString()});
        }
    }

    void bulkContacts(int n)
    {
        for (int i = 1; i <= n; ++i) {
            const qint64 t = kEpochMs + qint64(i) * 60000 + 30000;
            QJsonObject f{
                {QStringLiteral("First_Name"), QStringLiteral("Contact%1").arg(i)},
                {QStringLiteral("Last_Name"), QStringLiteral("Bulk%1").arg(i, 5, 10, QLatin1Char('0'))},
                {QStringLiteral("Email"), QStringLiteral("bulk.contact%1@example.com").arg(i)},
                {QStringLiteral("Phone"), QStringLiteral("+1 555 02%1").arg(i % 100000, 5, 10, QLatin1Char('0'))},
                {QStringLiteral("Title"), QStringLiteral("Buyer")},
                {QStringLiteral("Mailing_City"), QStringLiteral("Springfield")},
                {QStringLiteral("Mailing_Country"), QStringLiteral("US")}};
            if (!m_bulkAccounts.isEmpty()) {
                const auto& a = m_bulkAccounts.at((i - 1) % m_bulkAccounts.size());
                f.insert(QStringLiteral("Account_Name"), QJsonObject{{QStringLiteral("name"), a.second},
                                                                     {QStringLiteral("id"), QString::number(a.first)}});
            }
            m_zoho.insertSeed(ZohoModule::Contacts, f, t, t, m_zoho.crmUser(i));
        }
    }

    void bulkOracle(int n)
    {
        for (int i = 1; i <= n; ++i) {
            m_oracle.create(QJsonObject{{QStringLiteral("OrganizationName"), QStringLiteral("Bulk Party %1").arg(i)},
                                        {QStringLiteral("Country"), QStringLiteral("US")},
                                        {QStringLiteral("City"), QStringLiteral("Springfield")}},
                            QStringLiteral("SALES_ADMIN"), kEpochMs + qint64(i) * 60000);
        }
    }

private:
    const Locale& pickLocale() { return locales().at(int(m_ctx.rng.bounded(int(locales().size())))); }
    QString pick(const QStringList& l) { return l.isEmpty() ? QString() : l.at(int(m_ctx.rng.bounded(int(l.size())))); }
    bool chance(int percent) { return int(m_ctx.rng.bounded(100)) < percent; }

    QString fill(const QString& pattern)
    {
        QString out = pattern;
        for (QChar& c : out) {
            if (c == QLatin1Char('#'))
                c = QLatin1Char(char('0' + m_ctx.rng.bounded(10)));
        }
        return out;
    }

    // Seeded times from the fixed epoch: created within ~7 months, modified up to 30 days later.
    QPair<qint64, qint64> times()
    {
        const qint64 created =
            kEpochMs + randomBetween(m_ctx.rng, 0, 200) * kDayMs + randomBetween(m_ctx.rng, 0, 86399) * 1000;
        const qint64 modified =
            created + randomBetween(m_ctx.rng, 0, 30) * kDayMs + randomBetween(m_ctx.rng, 0, 86399) * 1000;
        return {created, modified};
    }

    static QString ascii(const QString& s)
    {
        QString d = s.normalized(QString::NormalizationForm_KD);
        QString out;
        for (const QChar c : d) {
            if (c.unicode() < 128 && (c.isLetterOrNumber() || c == QLatin1Char('.') || c == QLatin1Char('-')))
                out += c.toLower();
            else if (c == QChar(0x0142) || c == QChar(0x0141))
                out += QLatin1Char('l');
            else if (c == QChar(0x00f8) || c == QChar(0x00d8))
                out += QLatin1Char('o');
            else if (c == QChar(0x00df))
                out += QStringLiteral("ss");
            else if (c == QChar(0x00e6))
                out += QStringLiteral("ae");
        }
        return out;
    }

    qint64 addAccount(QJsonObject f, int owner)
    {
        const auto t = times();
        const qint64 id = m_zoho.insertSeed(ZohoModule::Accounts, f, t.first, t.second, m_zoho.crmUser(owner));
        m_accounts.append({id, f.value(QStringLiteral("Account_Name")).toString()});
        return id;
    }

    void addContact(QJsonObject f, int accountIndex)
    {
        if (accountIndex >= 0 && accountIndex < m_accounts.size()) {
            const auto& a = m_accounts.at(accountIndex);
            f.insert(QStringLiteral("Account_Name"),
                     QJsonObject{{QStringLiteral("name"), a.second}, {QStringLiteral("id"), QString::number(a.first)}});
        }
        const auto t = times();
        m_zoho.insertSeed(ZohoModule::Contacts, f, t.first, t.second, m_zoho.crmUser(m_contactCount));
        ++m_contactCount;
    }

    QJsonObject address(const Locale& l, const QString& prefix, bool zipName)
    {
        const int c = int(m_ctx.rng.bounded(int(l.cities.size())));
        QJsonObject f;
        if (!chance(8))
            f.insert(prefix + QStringLiteral("_Street"), fill(pick(l.streets)));
        f.insert(prefix + QStringLiteral("_City"), l.cities.at(c));
        const QString state = l.states.value(c);
        if (!state.isEmpty())
            f.insert(prefix + QStringLiteral("_State"), state);
        f.insert(prefix + (zipName ? QStringLiteral("_Zip") : QStringLiteral("_Code")), fill(l.zip));
        if (!chance(4))
            f.insert(prefix + QStringLiteral("_Country"), pick(l.countries));
        return f;
    }

    void account(const Locale& l)
    {
        const QString word = pick(l.companyWords);
        const QString name =
            chance(30) ? QString(word + QLatin1Char(' ') + pick(l.suffixes))
                       : QString(word + QLatin1Char(' ') + pick(nouns()) + QLatin1Char(' ') + pick(l.suffixes));
        QJsonObject f = address(l, QStringLiteral("Billing"), false);
        f.insert(QStringLiteral("Account_Name"), name);
        f.insert(QStringLiteral("Account_Number"), QStringLiteral("ZA-%1").arg(10000 + m_accounts.size()));
        if (!chance(10))
            f.insert(QStringLiteral("Phone"), fill(pick(l.phones)));
        if (!chance(15))
            f.insert(QStringLiteral("Website"),
                     QString(QStringLiteral("https://www.") + ascii(word).left(20) + QLatin1Char('.') + l.tld));
        f.insert(QStringLiteral("Industry"), pick(industries()));
        if (chance(40)) {
            const QJsonObject ship = address(l, QStringLiteral("Shipping"), false);
            for (auto it = ship.constBegin(); it != ship.constEnd(); ++it)
                f.insert(it.key(), it.value());
        }
        if (chance(20))
            f.insert(QStringLiteral("Employees"), randomBetween(m_ctx.rng, 5, 50000));
        if (chance(20))
            f.insert(QStringLiteral("Annual_Revenue"), double(randomBetween(m_ctx.rng, 100, 900000)) * 1000.0);
        addAccount(f, m_accounts.size());
    }

    void contact(const Locale& l, bool linked)
    {
        const QString first = pick(l.firstNames);
        const QString last = pick(l.lastNames);
        QJsonObject f = address(l, QStringLiteral("Mailing"), true);
        if (!chance(3))
            f.insert(QStringLiteral("First_Name"), first);
        f.insert(QStringLiteral("Last_Name"), last);
        const int accountIndex = linked && !m_accounts.isEmpty() ? int(m_ctx.rng.bounded(int(m_accounts.size()))) : -1;
        QString domain = QStringLiteral("example.") + l.tld;
        if (accountIndex >= 0) {
            const QString d = ascii(m_accounts.at(accountIndex).second.section(QLatin1Char(' '), 0, 0));
            if (!d.isEmpty())
                domain = d + QStringLiteral(".example");
        }
        QString local = ascii(first) + QLatin1Char('.') + ascii(last);
        if (local.startsWith(QLatin1Char('.')) || local.endsWith(QLatin1Char('.')))
            local = QStringLiteral("contact%1").arg(m_contactCount);
        const int e = int(m_ctx.rng.bounded(100));
        if (e < 10) {
            // no email at all
        } else if (e < 13) {
            f.insert(QStringLiteral("Email"),
                     QString(local + QStringLiteral("(at)") + domain)); // fails validation later
        } else if (e < 16) {
            f.insert(QStringLiteral("Email"),
                     QString(QString(local + QLatin1Char('@') + domain).toUpper() + QLatin1Char(' ')));
        } else {
            f.insert(QStringLiteral("Email"), QString(local + QLatin1Char('@') + domain));
        }
        if (!chance(10))
            f.insert(QStringLiteral("Phone"), fill(pick(l.phones)));
        if (chance(40))
            f.insert(QStringLiteral("Mobile"), fill(pick(l.phones)));
        static const QStringList titles =
            list({"Purchasing Manager", "CFO", "Accounts Payable", "Head of IT", "Gesch\u00e4ftsf\u00fchrer",
                  "Directeur financier", "\u90e8\u9577", "Buyer"});
        if (!chance(20))
            f.insert(QStringLiteral("Title"), pick(titles));
        static const QStringList departments = list({"Finance", "Procurement", "IT", "Operations", "Einkauf"});
        if (chance(50))
            f.insert(QStringLiteral("Department"), pick(departments));
        addContact(f, accountIndex);
    }

    void specialAccounts()
    {
        const QString longName = []() -> QString {
            QString s =
                u8("Internationale Handels- und Beteiligungsgesellschaft f\u00fcr Maschinenbau, Anlagentechnik und "
                   "Industrieservice der Vereinigten S\u00fcddeutschen Werke");
            while (s.size() < 400)
                s += u8(" und Tochtergesellschaften");
            return s.left(397) + QStringLiteral(" AG");
        }();
        const QVector<QJsonObject> specials = {
            {{QStringLiteral("Account_Name"), u8("M\u00fcller GmbH")},
             {QStringLiteral("Phone"), u8("+49 (0)89 123-4567")},
             {QStringLiteral("Billing_Street"), u8("Leopoldstra\u00dfe 1")},
             {QStringLiteral("Billing_City"), u8("M\u00fcnchen")},
             {QStringLiteral("Billing_State"), u8("Bayern")},
             {QStringLiteral("Billing_Code"), u8("80802")},
             {QStringLiteral("Billing_Country"), u8("Deutschland")},
             {QStringLiteral("Website"), u8("www.mueller-gmbh.example")},
             {QStringLiteral("Industry"), u8("Manufacturing")}},
            {{QStringLiteral("Account_Name"), u8("\u00d8rsted A/S")},
             {QStringLiteral("Phone"), u8("+45 99 55 11 11")},
             {QStringLiteral("Billing_Street"), u8("Kraftv\u00e6rksvej 53\nSk\u00e6rb\u00e6k")},
             {QStringLiteral("Billing_City"), u8("Fredericia")},
             {QStringLiteral("Billing_Code"), u8("7000")},
             {QStringLiteral("Billing_Country"), u8("Danmark")},
             {QStringLiteral("Industry"), u8("Energy")}},
            {{QStringLiteral("Account_Name"), u8("\u5c71\u7530\u5546\u4e8b\u682a\u5f0f\u4f1a\u793e")},
             {QStringLiteral("Phone"), u8("03-1234-5678")},
             {QStringLiteral("Billing_Street"), u8("\u4e38\u306e\u51851-1-1")},
             {QStringLiteral("Billing_City"), u8("\u5343\u4ee3\u7530\u533a")},
             {QStringLiteral("Billing_State"), u8("\u6771\u4eac\u90fd")},
             {QStringLiteral("Billing_Code"), u8("100-0005")},
             {QStringLiteral("Billing_Country"), u8("\u65e5\u672c")}},
            {{QStringLiteral("Account_Name"), u8("Jos\u00e9 \u00d1\u00fa\u00f1ez Distribuciones S.L.")},
             {QStringLiteral("Phone"), u8("+34 912 345 678")},
             {QStringLiteral("Billing_Street"), u8("Calle de Alcal\u00e1, 42, 3\u00ba izq.")},
             {QStringLiteral("Billing_City"), u8("Madrid")},
             {QStringLiteral("Billing_Code"), u8("28014")},
             {QStringLiteral("Billing_Country"), u8("Espa\u00f1a")}},
            {{QStringLiteral("Account_Name"), u8("Acme Widgets Inc.")},
             {QStringLiteral("Phone"), u8("(555) 010-1234 ext. 12")},
             {QStringLiteral("Billing_Street"), u8("100 Main St\nSuite 200")},
             {QStringLiteral("Billing_City"), u8("Springfield")},
             {QStringLiteral("Billing_State"), u8("IL")},
             {QStringLiteral("Billing_Code"), u8("62701-1234")},
             {QStringLiteral("Billing_Country"), u8("USA")},
             {QStringLiteral("Website"), u8("https://acme.example")}},
            {{QStringLiteral("Account_Name"), u8("Thames Valley Logistics Ltd")},
             {QStringLiteral("Phone"), u8("0044 20 7946 0958")},
             {QStringLiteral("Billing_Street"), u8("Unit 4, Riverside Park\nReading")},
             {QStringLiteral("Billing_City"), u8("Reading")},
             {QStringLiteral("Billing_Code"), u8("RG1 8DN")},
             {QStringLiteral("Billing_Country"), u8("U.K.")}},
            {{QStringLiteral("Account_Name"), u8("Companhia Paulista de Alimentos Ltda.")},
             {QStringLiteral("Phone"), u8("+55 11 91234-5678")},
             {QStringLiteral("Billing_Street"), u8("Av. Paulista, 1578")},
             {QStringLiteral("Billing_City"), u8("S\u00e3o Paulo")},
             {QStringLiteral("Billing_State"), u8("SP")},
             {QStringLiteral("Billing_Code"), u8("01310-200")},
             {QStringLiteral("Billing_Country"), u8("Brasil")}},
            {{QStringLiteral("Account_Name"), u8("Soci\u00e9t\u00e9 Lumi\u00e8re & Fils SARL")},
             {QStringLiteral("Phone"), u8("+33 1 23 45 67 89")},
             {QStringLiteral("Billing_City"), u8("Paris")},
             {QStringLiteral("Billing_Code"), u8("75008")},
             {QStringLiteral("Billing_Country"), u8("France")}},
            {{QStringLiteral("Account_Name"), longName},
             {QStringLiteral("Billing_City"), u8("Stuttgart")},
             {QStringLiteral("Billing_Country"), u8("DE")},
             {QStringLiteral("Phone"), u8("+49 711 000000")}},
            {{QStringLiteral("Account_Name"), u8("Zo\u00eb's Caf\u00e9 & Bakery LLC")},
             {QStringLiteral("Phone"), u8("(555) 010-9876")},
             {QStringLiteral("Billing_Street"), u8("12 Ocean Ave")},
             {QStringLiteral("Billing_City"), u8("Santa Cruz")},
             {QStringLiteral("Billing_State"), u8("California")},
             {QStringLiteral("Billing_Country"), u8("United States")}},
            {{QStringLiteral("Account_Name"), u8("Minimal Records Co.")}},
            {{QStringLiteral("Account_Name"), u8("\u0141\u00f3d\u017a Textiles Sp. z o.o.")},
             {QStringLiteral("Phone"), u8("+48 42 123 45 67")},
             {QStringLiteral("Billing_Street"), u8("ul. Piotrkowska 104")},
             {QStringLiteral("Billing_City"), u8("\u0141\u00f3d\u017a")},
             {QStringLiteral("Billing_Code"), u8("90-926")},
             {QStringLiteral("Billing_Country"), u8("Polska")}},
            {{QStringLiteral("Account_Name"), u8("\u00c5berg & S\u00f6ner AB")},
             {QStringLiteral("Phone"), u8("08-123 456 78")},
             {QStringLiteral("Billing_City"), u8("Stockholm")},
             {QStringLiteral("Billing_Code"), u8("111 22")},
             {QStringLiteral("Billing_Country"), u8("Sverige")}},
            {{QStringLiteral("Account_Name"), u8("C\u00f4t\u00e9 Fr\u00e8res Lt\u00e9e")},
             {QStringLiteral("Phone"), u8("514.555.0199")},
             {QStringLiteral("Billing_Street"), u8("1200 rue Sainte-Catherine O.")},
             {QStringLiteral("Billing_City"), u8("Montr\u00e9al")},
             {QStringLiteral("Billing_State"), u8("QC")},
             {QStringLiteral("Billing_Code"), u8("H3B 1K9")},
             {QStringLiteral("Billing_Country"), u8("Canada")}},
            {{QStringLiteral("Account_Name"), u8("Sahyadri Software Pvt. Ltd.")},
             {QStringLiteral("Phone"), u8("+91 80 4123 4567")},
             {QStringLiteral("Billing_City"), u8("Bengaluru")},
             {QStringLiteral("Billing_State"), u8("Karnataka")},
             {QStringLiteral("Billing_Code"), u8("560001")},
             {QStringLiteral("Billing_Country"), u8("India")}},
            {{QStringLiteral("Account_Name"), u8("ACME WIDGETS INC")},
             {QStringLiteral("Billing_Country"), u8("US")},
             {QStringLiteral("Description"), u8("Probably the same company as Acme Widgets Inc.")}},
            {{QStringLiteral("Account_Name"), u8("Broken Website GmbH")},
             {QStringLiteral("Website"), u8("not a url")},
             {QStringLiteral("Phone"), u8("n/a")},
             {QStringLiteral("Billing_Country"), u8("Germany")}},
        };
        int owner = 0;
        for (const QJsonObject& f : specials)
            addAccount(f, owner++);
    }

    void specialContacts()
    {
        struct Special
        {
            QJsonObject fields;
            int account;
        };
        const QVector<Special> specials = {
            {{{QStringLiteral("First_Name"), u8("Zo\u00eb")},
              {QStringLiteral("Last_Name"), u8("Washington")},
              {QStringLiteral("Email"), u8("zoe@zoes-cafe.example")},
              {QStringLiteral("Phone"), u8("(555) 010-1234 ext. 12")},
              {QStringLiteral("Mailing_Country"), u8("United States")}},
             9},
            {{{QStringLiteral("First_Name"), u8("\u0141ukasz")},
              {QStringLiteral("Last_Name"), u8("Wi\u015bniewski")},
              {QStringLiteral("Email"), u8("lukasz.wisniewski@lodz-textiles.example")},
              {QStringLiteral("Phone"), u8("+48 42 123 45 67")},
              {QStringLiteral("Mailing_City"), u8("\u0141\u00f3d\u017a")},
              {QStringLiteral("Mailing_Country"), u8("Polska")}},
             11},
            {{{QStringLiteral("First_Name"), u8("S\u00f8ren")},
              {QStringLiteral("Last_Name"), u8("J\u00f8rgensen")},
              {QStringLiteral("Email"), u8("soren.jorgensen@orsted.example")},
              {QStringLiteral("Mailing_Street"), u8("Kraftv\u00e6rksvej 53\nSk\u00e6rb\u00e6k")},
              {QStringLiteral("Mailing_Country"), u8("DK")}},
             1},
            {{{QStringLiteral("Last_Name"), u8("\u5c71\u7530 \u592a\u90ce")},
              {QStringLiteral("Email"), u8("yamada@yamada-shoji.example.jp")},
              {QStringLiteral("Phone"), u8("03-1234-5678")},
              {QStringLiteral("Mailing_Country"), u8("\u65e5\u672c")},
              {QStringLiteral("Title"), u8("\u90e8\u9577")}},
             2},
            {{{QStringLiteral("First_Name"), u8("Jos\u00e9")},
              {QStringLiteral("Last_Name"), u8("\u00d1\u00fa\u00f1ez")},
              {QStringLiteral("Email"), u8("jose.nunez@nunez-distribuciones.example")},
              {QStringLiteral("Mobile"), u8("+34 612 345 678")},
              {QStringLiteral("Mailing_Country"), u8("Espa\u00f1a")}},
             3},
            {{{QStringLiteral("First_Name"), u8("Hans")},
              {QStringLiteral("Last_Name"), u8("M\u00fcller")},
              {QStringLiteral("Email"), u8("not-an-email")},
              {QStringLiteral("Phone"), u8("+49 (0)89 123-4567")},
              {QStringLiteral("Mailing_Country"), u8("Deutschland")}},
             0},
            {{{QStringLiteral("First_Name"), u8("No")}, {QStringLiteral("Last_Name"), u8("Contact Details")}}, -1},
            {{{QStringLiteral("First_Name"), u8("Sherlock")},
              {QStringLiteral("Last_Name"), u8("Holmes")},
              {QStringLiteral("Email"), u8("sherlock@thames-valley.example")},
              {QStringLiteral("Phone"), u8("0044 20 7946 0958")},
              {QStringLiteral("Mailing_Street"), u8("Flat B\n221 Baker Street")},
              {QStringLiteral("Mailing_City"), u8("London")},
              {QStringLiteral("Mailing_Zip"), u8("NW1 6XE")},
              {QStringLiteral("Mailing_Country"), u8("U.K.")}},
             5},
            {{{QStringLiteral("First_Name"), u8("Anna")},
              {QStringLiteral("Last_Name"), u8("Schmidt")},
              {QStringLiteral("Email"), u8("ANNA.SCHMIDT@MUELLER-GMBH.EXAMPLE ")},
              {QStringLiteral("Mailing_Country"), u8("germany")}},
             0},
            {{{QStringLiteral("First_Name"), u8("Wile E.")},
              {QStringLiteral("Last_Name"), u8("Coyote")},
              {QStringLiteral("Email"), u8("wile@acme.example")},
              {QStringLiteral("Phone"), u8("(555) 010-1234")},
              {QStringLiteral("Mailing_Country"), u8("U.S.A.")},
              {QStringLiteral("Description"), u8("Prefers email \U0001F4E7, never calls")}},
             4},
            {{{QStringLiteral("First_Name"), u8("Siobh\u00e1n")},
              {QStringLiteral("Last_Name"), u8("O'Connor")},
              {QStringLiteral("Email"), u8("siobhan.oconnor@example.ie")},
              {QStringLiteral("Mailing_Country"), u8("Ireland")}},
             -1},
            {{{QStringLiteral("First_Name"), u8("Jo\u00e3o")},
              {QStringLiteral("Last_Name"), u8("Concei\u00e7\u00e3o")},
              {QStringLiteral("Email"), u8("joao@paulista-alimentos.example")},
              {QStringLiteral("Phone"), u8("(11) 3456-7890")},
              {QStringLiteral("Mailing_Country"), u8("Brasil")}},
             6},
            {{{QStringLiteral("First_Name"), u8("\u00c9milie")},
              {QStringLiteral("Last_Name"), u8("C\u00f4t\u00e9")},
              {QStringLiteral("Email"), u8("emilie@cote-freres.example")},
              {QStringLiteral("Mailing_Country"), u8("CA")},
              {QStringLiteral("Title"), u8("Directrice financi\u00e8re")}},
             13},
            {{{QStringLiteral("First_Name"), u8("Priya")},
              {QStringLiteral("Last_Name"), u8("Iyer")},
              {QStringLiteral("Email"), u8("priya.iyer@sahyadri.example")},
              {QStringLiteral("Phone"), u8("098450 12345")},
              {QStringLiteral("Mailing_Country"), u8("Bharat")}},
             14},
        };
        for (const Special& s : specials)
            addContact(s.fields, s.account);
    }

    void oracleParties()
    {
        // ERP-side customers: some share names with CRM accounts (duplicate candidates), a few are
        // already linked to a CRM account through SourceSystem/SourceSystemReferenceValue.
        const QString source = m_ctx.config.oracleSourceSystems.value(0, QStringLiteral("ZOHOCRM"));
        const struct
        {
            int account;
            const char* country;
            bool linked;
        } parties[] = {{0, "DE", true},  {1, "DK", true},  {4, "US", true},  {5, "GB", true},   {13, "CA", true},
                       {2, "JP", false}, {3, "ES", false}, {6, "BR", false}, {11, "PL", false}, {12, "SE", false}};
        qint64 t = kEpochMs - 30 * kDayMs;
        for (const auto& p : parties) {
            const auto& a = m_accounts.at(p.account);
            QJsonObject attrs{{QStringLiteral("OrganizationName"), a.second.left(360)},
                              {QStringLiteral("Country"), QString::fromLatin1(p.country)}};
            if (p.linked) {
                attrs.insert(QStringLiteral("SourceSystem"), source);
                attrs.insert(QStringLiteral("SourceSystemReferenceValue"), QString::number(a.first));
            }
            t += randomBetween(m_ctx.rng, 1, 5) * kDayMs;
            OracleAccount& party = m_oracle.create(attrs, QStringLiteral("SALES_ADMIN"), t);
            if (!p.linked)
                continue;
            const OracleArActivity* ar = m_oracle.arByNumber(party.accountNumber);
            const double open =
                ar ? m_oracle.arAttrs(*ar, 1).value(QStringLiteral("TotalOpenReceivablesForAccount")).toDouble() : 0;
            // The CRM side already shows what an earlier sync wrote back.
            m_zoho.patchSeed(ZohoModule::Accounts, a.first,
                             QJsonObject{{QStringLiteral("Oracle_Party_Number"), party.partyNumber},
                                         {QStringLiteral("AR_Open_Balance"), open},
                                         {QStringLiteral("Credit_Status"),
                                          open > 20000 ? QStringLiteral("Review") : QStringLiteral("OK")},
                                         {QStringLiteral("Last_Synced_From_ERP"), m_zoho.formatTime(t + kDayMs)}});
        }
        const QStringList erpOnly = list({"Nordwind Handels GmbH", "Pacific Rim Traders Ltd", "Fjord Shipping AS",
                                          "\u5927\u962a\u7cbe\u5bc6\u5de5\u696d\u682a\u5f0f\u4f1a\u793e",
                                          "Andes Minera S.A.", "Sahara Solar SARL", "Kiwi Orchards Ltd",
                                          "Baltic Amber O\u00dc", "Danube Logistics Kft.", "Alpine Dairy AG"});
        const QStringList erpCountries = list({"DE", "SG", "NO", "JP", "CL", "MA", "NZ", "EE", "HU", "CH"});
        for (int i = 0; i < erpOnly.size(); ++i) {
            t += randomBetween(m_ctx.rng, 1, 5) * kDayMs;
            m_oracle.create(QJsonObject{{QStringLiteral("OrganizationName"), erpOnly.at(i)},
                                        {QStringLiteral("Country"), erpCountries.at(i)}},
                            QStringLiteral("SALES_ADMIN"), t);
        }
    }

    SimContext& m_ctx;
    ZohoRecordStore& m_zoho;
    OracleStore& m_oracle;
    QVector<QPair<qint64, QString>> m_accounts;
    QVector<QPair<qint64, QString>> m_bulkAccounts;
    int m_contactCount = 0;
};
} // namespace

void DemoData::populate(SimContext& ctx, ZohoRecordStore& zoho, OracleStore& oracle, const Counts& counts)
{
    Generator g(ctx, zoho, oracle);
    if (counts.demo)
        g.demo();
    g.bulkAccounts(counts.accounts);
    g.bulkContacts(counts.contacts);
    g.bulkOracle(counts.oracleAccounts);
}

} // namespace Sim
