#include "mapping/FieldMapper.h"
#include "mapping/MappingSet.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <algorithm>
#include <functional>

using namespace Core;

Q_DECLARE_METATYPE(QList<Core::Transform>)

namespace {

const QString kContactId = QStringLiteral("4150868000000224001");
const QString kAccountId = QStringLiteral("4150868000000224005");

QByteArray compact(const QJsonObject& o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QString describe(const MappingResult& r)
{
    QStringList lines;
    for (const FieldDiagnostic& d : r.diagnostics)
        lines.append((d.severity == FieldDiagnostic::Error ? QStringLiteral("E ") : QStringLiteral("W ")) + d.message);
    return lines.join(QLatin1Char('\n'));
}

QJsonObject only(const QJsonObject& payload, const QStringList& keys)
{
    QJsonObject out;
    for (const QString& k : keys) {
        if (payload.contains(k))
            out.insert(k, payload.value(k));
    }
    return out;
}

const QStringList kPhoneFields = {QStringLiteral("PhoneCountryCode"), QStringLiteral("PhoneAreaCode"),
                                  QStringLiteral("PhoneNumber"), QStringLiteral("PhoneExtension"),
                                  QStringLiteral("RawPhoneNumber")};
const QStringList kAddressLines = {QStringLiteral("AddressLine1"), QStringLiteral("AddressLine2"),
                                   QStringLiteral("AddressLine3"), QStringLiteral("AddressLine4")};

// Zoho's lookup shape on Contacts: the account the person works for, not the person's organisation name.
QJsonObject accountLookup()
{
    return QJsonObject{{QStringLiteral("name"), QStringLiteral("Zylker GmbH")}, {QStringLiteral("id"), kAccountId}};
}

QJsonObject contact(const QJsonObject& fields)
{
    QJsonObject record{
        {QStringLiteral("id"), kContactId},
        {QStringLiteral("Owner"), QJsonObject{{QStringLiteral("name"), QStringLiteral("Patricia Boyle")},
                                              {QStringLiteral("id"), QStringLiteral("4150868000000225013")},
                                              {QStringLiteral("email"), QStringLiteral("p.boyle@zylker.com")}}},
        {QStringLiteral("Account_Name"), accountLookup()},
        {QStringLiteral("Created_Time"), QStringLiteral("2023-03-26T00:01:56+01:00")},
        {QStringLiteral("$state"), QStringLiteral("save")},
    };
    for (auto it = fields.constBegin(); it != fields.constEnd(); ++it)
        record.insert(it.key(), it.value());
    return record;
}

QJsonObject account(const QJsonObject& fields)
{
    QJsonObject record{{QStringLiteral("id"), kAccountId},
                       {QStringLiteral("Account_Type"), QStringLiteral("Customer")},
                       {QStringLiteral("Modified_Time"), QStringLiteral("2024-01-02T10:00:00+00:00")}};
    for (auto it = fields.constBegin(); it != fields.constEnd(); ++it)
        record.insert(it.key(), it.value());
    return record;
}

QJsonObject defaultsJson()
{
    return QJsonDocument::fromJson(MappingSet::defaults().toJson()).object();
}

// The defaults as JSON with one rule edited (index == size appends, a null edit removes it).
QByteArray withRule(const QString& module, int index, const std::function<void(QJsonObject&)>& edit)
{
    QJsonObject root = defaultsJson();
    QJsonObject modules = root.value(QStringLiteral("modules")).toObject();
    QJsonObject m = modules.value(module).toObject();
    QJsonArray rules = m.value(QStringLiteral("rules")).toArray();
    if (!edit) {
        rules.removeAt(index);
    } else {
        QJsonObject rule = index < rules.size() ? rules.at(index).toObject() : QJsonObject();
        edit(rule);
        if (index < rules.size())
            rules.replace(index, rule);
        else
            rules.append(rule);
    }
    m.insert(QStringLiteral("rules"), rules);
    modules.insert(module, m);
    root.insert(QStringLiteral("modules"), modules);
    return compact(root);
}

QByteArray withRoot(const std::function<void(QJsonObject&)>& edit)
{
    QJsonObject root = defaultsJson();
    edit(root);
    return compact(root);
}

FieldRule rule(const QString& target, const QStringList& sources, const QList<Transform>& transforms)
{
    FieldRule r;
    r.target = target;
    r.sources = sources;
    r.transforms = transforms;
    return r;
}

} // namespace

class tst_Mapping : public QObject
{
    Q_OBJECT

private slots:
    // --- MappingSet -------------------------------------------------------------------------------------

    void defaultsAreValid()
    {
        const MappingSet set = MappingSet::defaults();
        QVERIFY2(set.problems().isEmpty(), qPrintable(set.problems().join(QLatin1Char('\n'))));
        QCOMPARE(set.version(), 1);
        QCOMPARE(set.modules(), (QStringList{QStringLiteral("Accounts"), QStringLiteral("Contacts")}));
    }

    void defaultRuleShapes()
    {
        const QList<FieldRule> contacts = MappingSet::defaults().rules(MappingSet::contacts());
        QCOMPARE(contacts.at(0).target, QStringLiteral("OrganizationName"));
        QCOMPARE(contacts.at(0).sources, (QStringList{QStringLiteral("First_Name"), QStringLiteral("Last_Name")}));
        QVERIFY(contacts.at(0).required);
        QCOMPARE(contacts.at(2).targets(),
                 (QStringList{QStringLiteral("PhoneCountryCode"), QStringLiteral("PhoneAreaCode"),
                              QStringLiteral("PhoneNumber")}));
        QCOMPARE(contacts.at(2).sources, (QStringList{QStringLiteral("Phone"), QStringLiteral("Mobile")}));
        QCOMPARE(contacts.at(2).combine, FieldRule::Combine::FirstNonEmpty);
        QCOMPARE(contacts.at(2).transforms.constLast().regionFrom, QStringLiteral("Mailing_Country"));

        const QList<FieldRule> accounts = MappingSet::defaults().rules(MappingSet::accounts());
        QCOMPARE(accounts.at(1).transforms.constLast().regionFrom, QStringLiteral("Billing_Country"));
        bool postal = false;
        for (const FieldRule& r : accounts) {
            if (r.target == QLatin1String("PostalCode")) {
                QCOMPARE(r.sources, QStringList{QStringLiteral("Billing_Code")});
                postal = true;
            }
        }
        QVERIFY(postal);
    }

    void jsonRoundTripOfDefaults()
    {
        const MappingSet defaults = MappingSet::defaults();
        const QByteArray json = defaults.toJson();
        const Result<MappingSet> parsed = MappingSet::fromJson(json);
        QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
        QVERIFY(parsed.value() == defaults);
        QCOMPARE(parsed.value().toJson(), json);
        QVERIFY(json.contains("\"Billing_Code\""));
        QVERIFY(!json.contains("Billing_Zip"));
    }

    void jsonRoundTripOfEveryTransform()
    {
        MappingSet set = MappingSet::defaults();
        set.setVersion(7);
        QList<FieldRule> rules = set.rules(MappingSet::accounts());
        FieldRule type = rule(QStringLiteral("Type"), {QStringLiteral("Account_Type")},
                              {Transform(Transform::Kind::Trim),
                               Transform::valueMap({{QStringLiteral("Customer"), QStringLiteral("ZCA_CUSTOMER")},
                                                    {QStringLiteral("Prospect"), QStringLiteral("ZCA_PROSPECT")}},
                                                   QStringLiteral("ZCA_CUSTOMER")),
                               Transform(Transform::Kind::Upper), Transform::defaultTo(QStringLiteral("ZCA_CUSTOMER")),
                               Transform(Transform::Kind::Required), Transform::maxLengthOf(30)});
        type.defaultValue = QStringLiteral("Customer");
        rules.append(type);
        FieldRule description = rule(
            QStringLiteral("Description"), {QStringLiteral("Industry"), QStringLiteral("Description")},
            {Transform(Transform::Kind::Lower), Transform(Transform::Kind::Title), Transform(Transform::Kind::Email)});
        description.separator = QStringLiteral(" / ");
        rules.append(description);
        rules[1].transforms = {Transform::phone(QStringLiteral("Billing_Country"), QStringLiteral("DE"))};
        set.setRules(MappingSet::accounts(), rules);
        QVERIFY2(set.problems().isEmpty(), qPrintable(set.problems().join(QLatin1Char('\n'))));

        const Result<MappingSet> parsed = MappingSet::fromJson(set.toJson());
        QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
        QVERIFY(parsed.value() == set);
        QCOMPARE(parsed.value().version(), 7);
        QVERIFY(!(parsed.value() == MappingSet::defaults()));
    }

    void validationErrors_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");

        const QString contacts = MappingSet::contacts();
        const QString accounts = MappingSet::accounts();
        auto transforms = [](const QJsonArray& list) {
            return [list](QJsonObject& r) { r.insert(QStringLiteral("transforms"), list); };
        };
        auto target = [](const QJsonValue& t) {
            return [t](QJsonObject& r) { r.insert(QStringLiteral("target"), t); };
        };

        QTest::newRow("unknown transform")
            << withRule(
                   contacts, 3,
                   transforms({QStringLiteral("trim"), QStringLiteral("uppercase2"), QStringLiteral("streetLines")}))
            << QStringLiteral("modules.Contacts.rules[3].transforms[1]: unknown transform \"uppercase2\"");
        QTest::newRow("unknown target field")
            << withRule(contacts, 4, target(QStringLiteral("Town")))
            << QStringLiteral("modules.Contacts.rules[4].target: unknown Oracle accounts field \"Town\"");
        QTest::newRow("server-set target")
            << withRule(contacts, 4, target(QStringLiteral("PartyId")))
            << QStringLiteral("modules.Contacts.rules[4].target: unknown Oracle accounts field \"PartyId\"");
        QTest::newRow("phone rule without its three targets")
            << withRule(accounts, 1,
                        target(QJsonArray{QStringLiteral("PhoneCountryCode"), QStringLiteral("PhoneNumber")}))
            << QStringLiteral(
                   "modules.Accounts.rules[1].target: a phone rule needs its three targets PhoneCountryCode, "
                   "PhoneAreaCode, PhoneNumber (missing PhoneAreaCode)");
        QTest::newRow("phone rule with a foreign target")
            << withRule(accounts, 1,
                        target(QJsonArray{QStringLiteral("PhoneCountryCode"), QStringLiteral("PhoneAreaCode"),
                                          QStringLiteral("PhoneNumber"), QStringLiteral("Description")}))
            << QStringLiteral("modules.Accounts.rules[1].target: a phone rule writes only PhoneCountryCode, "
                              "PhoneAreaCode, PhoneNumber, not Description");
        QTest::newRow("duplicate target")
            << withRule(contacts, 5, target(QStringLiteral("City")))
            << QStringLiteral("modules.Contacts.rules[5].target: duplicate target City, already written by rules[4]");
        QTest::newRow("duplicate of what the phone rule writes")
            << withRule(contacts, 5, target(QStringLiteral("RawPhoneNumber")))
            << QStringLiteral(
                   "modules.Contacts.rules[5].target: duplicate target RawPhoneNumber, already written by rules[2]");
        QTest::newRow("several targets, single-field transforms")
            << withRule(contacts, 4, target(QJsonArray{QStringLiteral("City"), QStringLiteral("Province")}))
            << QStringLiteral(
                   "modules.Contacts.rules[4].target: several targets need a \"phone\" or \"streetLines\" transform");
        QTest::newRow("street rule with a non-address target")
            << withRule(contacts, 3, target(QJsonArray{QStringLiteral("AddressLine1"), QStringLiteral("Province")}))
            << QStringLiteral("modules.Contacts.rules[3].target: a streetLines rule writes address lines");
        QTest::newRow("phone not last")
            << withRule(contacts, 2, transforms({QStringLiteral("phone"), QStringLiteral("trim")}))
            << QStringLiteral("modules.Contacts.rules[2].transforms[0]: \"phone\" fills several fields, so it must be "
                              "the last transform");
        QTest::newRow("transform object without type")
            << withRule(contacts, 1, transforms({QJsonObject{{QStringLiteral("map"), QJsonObject()}}}))
            << QStringLiteral("modules.Contacts.rules[1].transforms[0]: a transform object needs a \"type\" string");
        QTest::newRow("transform neither name nor object")
            << withRule(contacts, 1, transforms({42}))
            << QStringLiteral("modules.Contacts.rules[1].transforms[0]: a transform is a name or an object");
        QTest::newRow("valueMap without map")
            << withRule(contacts, 4, transforms({QStringLiteral("valueMap")}))
            << QStringLiteral("modules.Contacts.rules[4].transforms[0]: transform \"valueMap\" needs a \"map\" object");
        QTest::newRow("valueMap with a number")
            << withRule(contacts, 4,
                        transforms({QJsonObject{{QStringLiteral("type"), QStringLiteral("valueMap")},
                                                {QStringLiteral("map"), QJsonObject{{QStringLiteral("x"), 1}}}}}))
            << QStringLiteral("modules.Contacts.rules[4].transforms[0].map.x: must be a string");
        QTest::newRow("default without value")
            << withRule(contacts, 4, transforms({QStringLiteral("default")}))
            << QStringLiteral(
                   "modules.Contacts.rules[4].transforms[0]: transform \"default\" needs a \"value\" string");
        QTest::newRow("maxLength zero")
            << withRule(contacts, 4,
                        transforms({QJsonObject{{QStringLiteral("type"), QStringLiteral("maxLength")},
                                                {QStringLiteral("length"), 0}}}))
            << QStringLiteral("modules.Contacts.rules[4].transforms[0].length: must be a positive whole number");
        QTest::newRow("unknown transform key")
            << withRule(contacts, 2,
                        transforms({QJsonObject{{QStringLiteral("type"), QStringLiteral("phone")},
                                                {QStringLiteral("regon"), QStringLiteral("DE")}}}))
            << QStringLiteral("modules.Contacts.rules[2].transforms[0]: unknown key \"regon\" for transform \"phone\"");
        QTest::newRow("bad default region")
            << withRule(contacts, 2,
                        transforms({QJsonObject{{QStringLiteral("type"), QStringLiteral("phone")},
                                                {QStringLiteral("defaultRegion"), QStringLiteral("Germany")}}}))
            << QStringLiteral("modules.Contacts.rules[2].transforms[0].defaultRegion: \"Germany\" is not an ISO 3166-1 "
                              "alpha-2 code");
        QTest::newRow("no sources") << withRule(contacts, 4, [](QJsonObject& r) {
            r.insert(QStringLiteral("sources"), QJsonArray());
        }) << QStringLiteral("modules.Contacts.rules[4].sources: needs at least one Zoho field");
        QTest::newRow("source with a space") << withRule(contacts, 4, [](QJsonObject& r) {
            r.insert(QStringLiteral("sources"), QJsonArray{QStringLiteral("Mailing City")});
        }) << QStringLiteral("modules.Contacts.rules[4].sources[0]: \"Mailing City\" is not a Zoho field API name");
        QTest::newRow("missing target") << withRule(contacts, 4, [](QJsonObject& r) {
            r.remove(QStringLiteral("target"));
        }) << QStringLiteral("modules.Contacts.rules[4].target: missing");
        QTest::newRow("unknown rule key")
            << withRule(contacts, 0, [](QJsonObject& r) { r.insert(QStringLiteral("requird"), true); })
            << QStringLiteral("modules.Contacts.rules[0]: unknown key \"requird\"");
        QTest::newRow("required not a bool") << withRule(contacts, 0, [](QJsonObject& r) {
            r.insert(QStringLiteral("required"), QStringLiteral("yes"));
        }) << QStringLiteral("modules.Contacts.rules[0].required: must be true or false");
        QTest::newRow("unknown combine") << withRule(contacts, 2, [](QJsonObject& r) {
            r.insert(QStringLiteral("combine"), QStringLiteral("first"));
        }) << QStringLiteral("modules.Contacts.rules[2].combine: unknown value \"first\"");
        QTest::newRow("empty rule object") << withRule(contacts, 0, [](QJsonObject& r) { r = QJsonObject(); })
                                           << QStringLiteral("modules.Contacts.rules[0].target: missing");
        QTest::newRow("rule not an object") << withRoot([](QJsonObject& root) {
            QJsonObject modules = root.value(QStringLiteral("modules")).toObject();
            QJsonObject m = modules.value(QStringLiteral("Contacts")).toObject();
            QJsonArray rules = m.value(QStringLiteral("rules")).toArray();
            rules.replace(1, QStringLiteral("EmailAddress"));
            m.insert(QStringLiteral("rules"), rules);
            modules.insert(QStringLiteral("Contacts"), m);
            root.insert(QStringLiteral("modules"), modules);
        }) << QStringLiteral("modules.Contacts.rules[1]: a rule must be an object");
        QTest::newRow("no organisation name") << withRule(accounts, 0, nullptr)
                                              << QStringLiteral("modules.Accounts: no rule writes OrganizationName, "
                                                                "which Oracle requires");
        QTest::newRow("unknown module") << withRoot([](QJsonObject& root) {
            QJsonObject modules = root.value(QStringLiteral("modules")).toObject();
            modules.insert(QStringLiteral("Leads"), modules.value(QStringLiteral("Contacts")));
            root.insert(QStringLiteral("modules"), modules);
        }) << QStringLiteral("modules.Leads: unknown Zoho module \"Leads\" (expected Contacts or Accounts)");
        QTest::newRow("module without rules") << withRoot([](QJsonObject& root) {
            QJsonObject modules = root.value(QStringLiteral("modules")).toObject();
            modules.insert(QStringLiteral("Accounts"), QJsonObject());
            root.insert(QStringLiteral("modules"), modules);
        }) << QStringLiteral("modules.Accounts: must be an object with a \"rules\" list");
        QTest::newRow("version missing") << withRoot([](QJsonObject& root) { root.remove(QStringLiteral("version")); })
                                         << QStringLiteral("version: must be a positive whole number");
        QTest::newRow("version a string")
            << withRoot([](QJsonObject& root) { root.insert(QStringLiteral("version"), QStringLiteral("1")); })
            << QStringLiteral("version: must be a positive whole number");
        QTest::newRow("version fractional")
            << withRoot([](QJsonObject& root) { root.insert(QStringLiteral("version"), 1.5); })
            << QStringLiteral("version: must be a positive whole number");
        QTest::newRow("unknown top-level key")
            << withRoot([](QJsonObject& root) { root.insert(QStringLiteral("modulez"), QJsonObject()); })
            << QStringLiteral("mapping: unknown key \"modulez\"");
        QTest::newRow("not JSON") << QByteArray("{\"version\":1,") << QStringLiteral("mapping: not valid JSON");
        QTest::newRow("JSON array") << QByteArray("[]") << QStringLiteral("mapping: must be a JSON object");
    }

    void validationErrors()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        const Result<MappingSet> parsed = MappingSet::fromJson(json);
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().kind, Error::Kind::InvalidInput);
        QVERIFY2(parsed.error().message.contains(expected), qPrintable(parsed.error().message));
    }

    void validationListsEveryProblem()
    {
        MappingSet set = MappingSet::defaults();
        QList<FieldRule> rules = set.rules(MappingSet::contacts());
        rules[4].target = QStringLiteral("Town");
        rules[6].sources.clear();
        set.setRules(MappingSet::contacts(), rules);
        const QStringList problems = set.problems();
        QCOMPARE(problems.size(), 2);
        QCOMPARE(problems.at(0),
                 QStringLiteral("modules.Contacts.rules[4].target: unknown Oracle accounts field \"Town\""));
        QCOMPARE(problems.at(1), QStringLiteral("modules.Contacts.rules[6].sources: needs at least one Zoho field"));

        const Result<MappingSet> parsed = MappingSet::fromJson(set.toJson());
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().message, problems.join(QLatin1Char('\n')));
    }

    // --- FieldMapper: the defaults with realistic records ------------------------------------------------

    void defaultContacts_data()
    {
        QTest::addColumn<QJsonObject>("record");
        QTest::addColumn<QJsonObject>("expected");
        QTest::addColumn<int>("warnings");

        QTest::newRow("complete German contact")
            << contact({{QStringLiteral("First_Name"), QString::fromUtf8("Zoë")},
                        {QStringLiteral("Last_Name"), QString::fromUtf8("Müller")},
                        {QStringLiteral("Email"), QStringLiteral("  Zoe.Mueller@Example.DE ")},
                        {QStringLiteral("Phone"), QStringLiteral("+49 (0)89 123-4567")},
                        {QStringLiteral("Mobile"), QStringLiteral("+49 171 1234567")},
                        {QStringLiteral("Mailing_Street"), QString::fromUtf8("Leopoldstr. 1\nRückgebäude")},
                        {QStringLiteral("Mailing_City"), QString::fromUtf8("München")},
                        {QStringLiteral("Mailing_State"), QStringLiteral("Bayern")},
                        {QStringLiteral("Mailing_Zip"), QStringLiteral("80802")},
                        {QStringLiteral("Mailing_Country"), QStringLiteral("Deutschland")},
                        {QStringLiteral("Other_City"), QStringLiteral("Berlin")},
                        {QStringLiteral("Description"), QStringLiteral("met at a fair")}})
            << QJsonObject{{QStringLiteral("SourceSystemReferenceValue"), kContactId},
                           {QStringLiteral("OrganizationName"), QString::fromUtf8("Zoë Müller")},
                           {QStringLiteral("EmailAddress"), QStringLiteral("zoe.mueller@example.de")},
                           {QStringLiteral("PhoneCountryCode"), QStringLiteral("49")},
                           {QStringLiteral("PhoneAreaCode"), QStringLiteral("89")},
                           {QStringLiteral("PhoneNumber"), QStringLiteral("1234567")},
                           {QStringLiteral("AddressLine1"), QStringLiteral("Leopoldstr. 1")},
                           {QStringLiteral("AddressLine2"), QString::fromUtf8("Rückgebäude")},
                           {QStringLiteral("City"), QString::fromUtf8("München")},
                           {QStringLiteral("State"), QStringLiteral("Bayern")},
                           {QStringLiteral("PostalCode"), QStringLiteral("80802")},
                           {QStringLiteral("Country"), QStringLiteral("DE")}}
            << 0;
        QTest::newRow("Polish contact, mobile when there is no phone")
            << contact({{QStringLiteral("First_Name"), QString::fromUtf8("Łukasz")},
                        {QStringLiteral("Last_Name"), QString::fromUtf8("Wiśniewski")},
                        {QStringLiteral("Phone"), QJsonValue::Null},
                        {QStringLiteral("Mobile"), QStringLiteral("501 234 567")},
                        {QStringLiteral("Mailing_City"), QString::fromUtf8("Kraków")},
                        {QStringLiteral("Mailing_Country"), QStringLiteral("Polska")}})
            << QJsonObject{{QStringLiteral("SourceSystemReferenceValue"), kContactId},
                           {QStringLiteral("OrganizationName"), QString::fromUtf8("Łukasz Wiśniewski")},
                           {QStringLiteral("PhoneCountryCode"), QStringLiteral("48")},
                           {QStringLiteral("PhoneAreaCode"), QStringLiteral("501")},
                           {QStringLiteral("PhoneNumber"), QStringLiteral("234567")},
                           {QStringLiteral("City"), QString::fromUtf8("Kraków")},
                           {QStringLiteral("Country"), QStringLiteral("PL")}}
            << 0;
        QTest::newRow("Japanese name in Last_Name only")
            << contact({{QStringLiteral("First_Name"), QJsonValue::Null},
                        {QStringLiteral("Last_Name"), QString::fromUtf8("山田 太郎")},
                        {QStringLiteral("Phone"), QStringLiteral("03-1234-5678")},
                        {QStringLiteral("Mailing_City"), QString::fromUtf8("東京都")},
                        {QStringLiteral("Mailing_Country"), QString::fromUtf8("日本")}})
            << QJsonObject{{QStringLiteral("SourceSystemReferenceValue"), kContactId},
                           {QStringLiteral("OrganizationName"), QString::fromUtf8("山田 太郎")},
                           {QStringLiteral("PhoneCountryCode"), QStringLiteral("81")},
                           {QStringLiteral("PhoneAreaCode"), QStringLiteral("3")},
                           {QStringLiteral("PhoneNumber"), QStringLiteral("12345678")},
                           {QStringLiteral("City"), QString::fromUtf8("東京都")},
                           {QStringLiteral("Country"), QStringLiteral("JP")}}
            << 0;
        QTest::newRow("sparse: empty strings and nulls are left out")
            << contact({{QStringLiteral("First_Name"), QStringLiteral("  ")},
                        {QStringLiteral("Last_Name"), QStringLiteral(" Solo ")},
                        {QStringLiteral("Email"), QString()},
                        {QStringLiteral("Phone"), QString()},
                        {QStringLiteral("Mobile"), QJsonValue::Null},
                        {QStringLiteral("Mailing_Street"), QStringLiteral("\n \n")},
                        {QStringLiteral("Mailing_City"), QString()},
                        {QStringLiteral("Mailing_Zip"), QJsonValue::Null},
                        {QStringLiteral("Mailing_Country"), QString()}})
            << QJsonObject{{QStringLiteral("SourceSystemReferenceValue"), kContactId},
                           {QStringLiteral("OrganizationName"), QStringLiteral("Solo")}}
            << 0;
    }

    void defaultContacts()
    {
        QFETCH(QJsonObject, record);
        QFETCH(QJsonObject, expected);
        QFETCH(int, warnings);
        const MappingResult r = FieldMapper().map(MappingSet::defaults(), MappingSet::contacts(), record);
        QVERIFY2(r.ok(), qPrintable(describe(r)));
        QCOMPARE(compact(r.payload), compact(expected));
        QCOMPARE(r.warnings().size(), warnings);
        // Account_Name is the employer lookup {"name","id"}: never the contact's organisation name.
        QVERIFY(!compact(r.payload).contains("Zylker"));
    }

    void defaultAccounts_data()
    {
        QTest::addColumn<QJsonObject>("record");
        QTest::addColumn<QJsonObject>("expected");

        QTest::newRow("Müller GmbH") << account({{QStringLiteral("Account_Name"), QString::fromUtf8("Müller GmbH")},
                                                 {QStringLiteral("Phone"), QStringLiteral("+49 (0)89 123-4567")},
                                                 {QStringLiteral("Website"), QStringLiteral("https://mueller.example")},
                                                 {QStringLiteral("Billing_Street"), QStringLiteral("Leopoldstr. 1")},
                                                 {QStringLiteral("Billing_City"), QString::fromUtf8("München")},
                                                 {QStringLiteral("Billing_State"), QStringLiteral("BY")},
                                                 {QStringLiteral("Billing_Code"), QStringLiteral("80802")},
                                                 {QStringLiteral("Billing_Zip"), QStringLiteral("99999")},
                                                 {QStringLiteral("Billing_Country"), QStringLiteral("Germany")},
                                                 {QStringLiteral("Shipping_City"), QStringLiteral("Hamburg")},
                                                 {QStringLiteral("Employees"), 250}})
                                     << QJsonObject{
                                            {QStringLiteral("SourceSystemReferenceValue"), kAccountId},
                                            {QStringLiteral("OrganizationName"), QString::fromUtf8("Müller GmbH")},
                                            {QStringLiteral("PhoneCountryCode"), QStringLiteral("49")},
                                            {QStringLiteral("PhoneAreaCode"), QStringLiteral("89")},
                                            {QStringLiteral("PhoneNumber"), QStringLiteral("1234567")},
                                            {QStringLiteral("URL"), QStringLiteral("https://mueller.example")},
                                            {QStringLiteral("AddressLine1"), QStringLiteral("Leopoldstr. 1")},
                                            {QStringLiteral("City"), QString::fromUtf8("München")},
                                            {QStringLiteral("State"), QStringLiteral("BY")},
                                            {QStringLiteral("PostalCode"), QStringLiteral("80802")},
                                            {QStringLiteral("Country"), QStringLiteral("DE")}};
        QTest::newRow("US account with extension")
            << account({{QStringLiteral("Account_Name"), QStringLiteral("  Zylker Inc. ")},
                        {QStringLiteral("Phone"), QStringLiteral("(212) 555-0100 ext. 12")},
                        {QStringLiteral("Billing_Street"), QStringLiteral("350 Fifth Avenue\nSuite 4100")},
                        {QStringLiteral("Billing_City"), QStringLiteral("New York")},
                        {QStringLiteral("Billing_State"), QStringLiteral("NY")},
                        {QStringLiteral("Billing_Code"), QStringLiteral("10118")},
                        {QStringLiteral("Billing_Country"), QStringLiteral("U.S.A.")}})
            << QJsonObject{{QStringLiteral("SourceSystemReferenceValue"), kAccountId},
                           {QStringLiteral("OrganizationName"), QStringLiteral("Zylker Inc.")},
                           {QStringLiteral("PhoneCountryCode"), QStringLiteral("1")},
                           {QStringLiteral("PhoneAreaCode"), QStringLiteral("212")},
                           {QStringLiteral("PhoneNumber"), QStringLiteral("5550100")},
                           {QStringLiteral("PhoneExtension"), QStringLiteral("12")},
                           {QStringLiteral("AddressLine1"), QStringLiteral("350 Fifth Avenue")},
                           {QStringLiteral("AddressLine2"), QStringLiteral("Suite 4100")},
                           {QStringLiteral("City"), QStringLiteral("New York")},
                           {QStringLiteral("State"), QStringLiteral("NY")},
                           {QStringLiteral("PostalCode"), QStringLiteral("10118")},
                           {QStringLiteral("Country"), QStringLiteral("US")}};
    }

    void defaultAccounts()
    {
        QFETCH(QJsonObject, record);
        QFETCH(QJsonObject, expected);
        const MappingResult r = FieldMapper().map(MappingSet::defaults(), MappingSet::accounts(), record);
        QVERIFY2(r.ok() && r.diagnostics.isEmpty(), qPrintable(describe(r)));
        QCOMPARE(compact(r.payload), compact(expected));
    }

    void phones_data()
    {
        QTest::addColumn<QString>("phone");
        QTest::addColumn<QString>("country");
        QTest::addColumn<QJsonObject>("expected");
        QTest::addColumn<QString>("warning"); // the phone diagnostic's message, empty: none

        QTest::newRow("+CC with (0), no country")
            << QStringLiteral("+49 (0)89 123-4567") << QString()
            << QJsonObject{{QStringLiteral("PhoneCountryCode"), QStringLiteral("49")},
                           {QStringLiteral("PhoneAreaCode"), QStringLiteral("89")},
                           {QStringLiteral("PhoneNumber"), QStringLiteral("1234567")}}
            << QString();
        QTest::newRow("00 prefix, country GB by name")
            << QStringLiteral("0044 20 7946 0958") << QStringLiteral("United Kingdom")
            << QJsonObject{{QStringLiteral("PhoneCountryCode"), QStringLiteral("44")},
                           {QStringLiteral("PhoneAreaCode"), QStringLiteral("20")},
                           {QStringLiteral("PhoneNumber"), QStringLiteral("79460958")}}
            << QString();
        QTest::newRow("US with extension") << QStringLiteral("(212) 555-0100 ext. 12") << QStringLiteral("USA")
                                           << QJsonObject{{QStringLiteral("PhoneCountryCode"), QStringLiteral("1")},
                                                          {QStringLiteral("PhoneAreaCode"), QStringLiteral("212")},
                                                          {QStringLiteral("PhoneNumber"), QStringLiteral("5550100")},
                                                          {QStringLiteral("PhoneExtension"), QStringLiteral("12")}}
                                           << QString();
        // 555 is not an assigned US area code: libphonenumber says invalid, so the number is kept raw.
        QTest::newRow("fictional 555 with extension")
            << QStringLiteral("(555) 010-1234 ext. 12") << QStringLiteral("USA")
            << QJsonObject{{QStringLiteral("RawPhoneNumber"), QStringLiteral("(555) 010-1234 ext. 12")}}
            << QStringLiteral("Phone \"(555) 010-1234 ext. 12\" is not a valid number for region US; kept as "
                              "RawPhoneNumber");
        QTest::newRow("national JP, country in Japanese")
            << QStringLiteral("03-1234-5678") << QString::fromUtf8("日本")
            << QJsonObject{{QStringLiteral("PhoneCountryCode"), QStringLiteral("81")},
                           {QStringLiteral("PhoneAreaCode"), QStringLiteral("3")},
                           {QStringLiteral("PhoneNumber"), QStringLiteral("12345678")}}
            << QString();
        QTest::newRow("too short") << QStringLiteral("12") << QStringLiteral("Deutschland")
                                   << QJsonObject{{QStringLiteral("RawPhoneNumber"), QStringLiteral("12")}}
                                   << QStringLiteral(
                                          "Phone \"12\" is not a valid number for region DE; kept as RawPhoneNumber");
        QTest::newRow("national, unknown country")
            << QStringLiteral("030 1234567") << QStringLiteral("Atlantis")
            << QJsonObject{{QStringLiteral("RawPhoneNumber"), QStringLiteral("030 1234567")}}
            << QStringLiteral("Phone \"030 1234567\" has no country code (+CC) and no usable region is known "
                              "(Mailing_Country \"Atlantis\" is not a known country); kept as RawPhoneNumber");
        QTest::newRow("empty") << QString() << QStringLiteral("Deutschland") << QJsonObject() << QString();
        QTest::newRow("blank") << QStringLiteral("   ") << QStringLiteral("Deutschland") << QJsonObject() << QString();
    }

    void phones()
    {
        QFETCH(QString, phone);
        QFETCH(QString, country);
        QFETCH(QJsonObject, expected);
        QFETCH(QString, warning);
        const QJsonObject record = contact({{QStringLiteral("Last_Name"), QStringLiteral("X")},
                                            {QStringLiteral("Phone"), phone},
                                            {QStringLiteral("Mailing_Country"), country}});
        const MappingResult r = FieldMapper().map(MappingSet::defaults(), MappingSet::contacts(), record);
        QVERIFY2(r.ok(), qPrintable(describe(r))); // a bad phone never fails the record
        QCOMPARE(compact(only(r.payload, kPhoneFields)), compact(expected));
        QStringList phoneMessages;
        for (const FieldDiagnostic& d : r.diagnostics) {
            if (d.target == QLatin1String("PhoneNumber")) {
                QCOMPARE(d.severity, FieldDiagnostic::Warning);
                QCOMPARE(d.source, QStringLiteral("Phone"));
                QCOMPARE(d.value, phone.trimmed());
                phoneMessages.append(d.message);
            }
        }
        QCOMPARE(phoneMessages, warning.isEmpty() ? QStringList() : QStringList{warning});
    }

    void phoneFallsBackToMobile()
    {
        const QJsonObject record = contact({{QStringLiteral("Last_Name"), QStringLiteral("X")},
                                            {QStringLiteral("Phone"), QStringLiteral(" ")},
                                            {QStringLiteral("Mobile"), QStringLiteral("0171 1234567")},
                                            {QStringLiteral("Mailing_Country"), QStringLiteral("DE")}});
        const MappingResult r = FieldMapper().map(MappingSet::defaults(), MappingSet::contacts(), record);
        QVERIFY2(r.ok() && r.diagnostics.isEmpty(), qPrintable(describe(r)));
        QCOMPARE(r.payload.value(QStringLiteral("PhoneAreaCode")).toString(), QStringLiteral("171"));
        QCOMPARE(r.payload.value(QStringLiteral("PhoneNumber")).toString(), QStringLiteral("1234567"));

        // The diagnostic names the field the bad value came from.
        const QJsonObject bad = contact({{QStringLiteral("Last_Name"), QStringLiteral("X")},
                                         {QStringLiteral("Mobile"), QStringLiteral("12")},
                                         {QStringLiteral("Mailing_Country"), QStringLiteral("DE")}});
        const MappingResult rb = FieldMapper().map(MappingSet::defaults(), MappingSet::contacts(), bad);
        QCOMPARE(rb.warnings().size(), 1);
        QCOMPARE(rb.warnings().at(0).source, QStringLiteral("Mobile"));
        QVERIFY(rb.warnings().at(0).message.startsWith(QStringLiteral("Mobile \"12\"")));
    }

    void countries_data()
    {
        QTest::addColumn<QString>("country");
        QTest::addColumn<QString>("expected");
        QTest::newRow("Deutschland") << QStringLiteral("Deutschland") << QStringLiteral("DE");
        QTest::newRow("United States") << QStringLiteral("United States") << QStringLiteral("US");
        QTest::newRow("USA") << QStringLiteral("USA") << QStringLiteral("US");
        QTest::newRow("U.S.A.") << QStringLiteral("U.S.A.") << QStringLiteral("US");
        QTest::newRow("Brasil") << QStringLiteral("Brasil") << QStringLiteral("BR");
        QTest::newRow("日本") << QString::fromUtf8("日本") << QStringLiteral("JP");
        QTest::newRow("DE") << QStringLiteral("DE") << QStringLiteral("DE");
        QTest::newRow("deu") << QStringLiteral("deu") << QStringLiteral("DE");
        QTest::newRow("France") << QStringLiteral("France") << QStringLiteral("FR");
        QTest::newRow("Côte d'Ivoire") << QString::fromUtf8("Côte d'Ivoire") << QStringLiteral("CI");
        QTest::newRow("España") << QString::fromUtf8("España") << QStringLiteral("ES");
        QTest::newRow("Atlantis") << QStringLiteral("Atlantis") << QString();
    }

    void countries()
    {
        QFETCH(QString, country);
        QFETCH(QString, expected);
        const QJsonObject record = account(
            {{QStringLiteral("Account_Name"), QStringLiteral("Acme")}, {QStringLiteral("Billing_Country"), country}});
        const MappingResult r = FieldMapper().map(MappingSet::defaults(), MappingSet::accounts(), record);
        QVERIFY2(r.ok(), qPrintable(describe(r)));
        if (expected.isEmpty()) {
            QVERIFY(!r.payload.contains(QStringLiteral("Country")));
            QCOMPARE(r.warnings().size(), 1);
            const FieldDiagnostic d = r.warnings().at(0);
            QCOMPARE(d.target, QStringLiteral("Country"));
            QCOMPARE(d.source, QStringLiteral("Billing_Country"));
            QCOMPARE(d.value, country);
            QCOMPARE(d.message, QStringLiteral("Billing_Country \"%1\" is not a known country name or ISO 3166 code; "
                                               "Country left empty")
                                    .arg(country));
        } else {
            QVERIFY2(r.diagnostics.isEmpty(), qPrintable(describe(r)));
            QCOMPARE(r.payload.value(QStringLiteral("Country")).toString(), expected);
        }
    }

    void streetLines_data()
    {
        QTest::addColumn<QString>("street");
        QTest::addColumn<QStringList>("lines");
        QTest::addColumn<QString>("warning");
        QTest::newRow("one line") << QStringLiteral("Leopoldstr. 1") << QStringList{QStringLiteral("Leopoldstr. 1")}
                                  << QString();
        QTest::newRow("three lines with blanks")
            << QStringLiteral("c/o Accounts Payable\n\n  Building 3 \r\n   \nLeopoldstr. 1\n")
            << QStringList{QStringLiteral("c/o Accounts Payable"), QStringLiteral("Building 3"),
                           QStringLiteral("Leopoldstr. 1")}
            << QString();
        QTest::newRow("six lines")
            << QStringLiteral("Dept. 7\nc/o Jane\nBuilding 3\nFloor 2\nRoom 201\nLeopoldstr. 1")
            << QStringList{QStringLiteral("Dept. 7"), QStringLiteral("c/o Jane"), QStringLiteral("Building 3"),
                           QStringLiteral("Floor 2, Room 201, Leopoldstr. 1")}
            << QString::fromUtf8("Mailing_Street has 6 address lines but Oracle takes 4; lines 4–6 were joined into "
                                 "AddressLine4");
    }

    void streetLines()
    {
        QFETCH(QString, street);
        QFETCH(QStringList, lines);
        QFETCH(QString, warning);
        const QJsonObject record =
            contact({{QStringLiteral("Last_Name"), QStringLiteral("X")}, {QStringLiteral("Mailing_Street"), street}});
        const MappingResult r = FieldMapper().map(MappingSet::defaults(), MappingSet::contacts(), record);
        QVERIFY2(r.ok(), qPrintable(describe(r)));
        QJsonObject expected;
        for (int i = 0; i < lines.size(); ++i)
            expected.insert(kAddressLines.at(i), lines.at(i));
        QCOMPARE(compact(only(r.payload, kAddressLines)), compact(expected));
        if (warning.isEmpty()) {
            QVERIFY2(r.diagnostics.isEmpty(), qPrintable(describe(r)));
        } else {
            QCOMPARE(r.warnings().size(), 1);
            QCOMPARE(r.warnings().at(0).message, warning);
            QCOMPARE(r.warnings().at(0).target, QStringLiteral("AddressLine4"));
        }
    }

    void invalidEmail_data()
    {
        QTest::addColumn<QString>("email");
        QTest::newRow("no domain") << QStringLiteral("bob@");
        QTest::newRow("two ats") << QStringLiteral("bob@@example.com");
        QTest::newRow("no at") << QStringLiteral("bob.example.com");
        QTest::newRow("space inside") << QStringLiteral("bob smith@example.com");
    }

    void invalidEmail()
    {
        QFETCH(QString, email);
        const QJsonObject record =
            contact({{QStringLiteral("Last_Name"), QStringLiteral("X")}, {QStringLiteral("Email"), email}});
        const MappingResult r = FieldMapper().map(MappingSet::defaults(), MappingSet::contacts(), record);
        QVERIFY2(r.ok(), qPrintable(describe(r))); // the record still syncs, without the address
        QVERIFY(!r.payload.contains(QStringLiteral("EmailAddress")));
        QCOMPARE(r.warnings().size(), 1);
        const FieldDiagnostic d = r.warnings().at(0);
        QCOMPARE(d.target, QStringLiteral("EmailAddress"));
        QCOMPARE(d.source, QStringLiteral("Email"));
        QCOMPARE(d.value, email.toLower());
        QCOMPARE(
            d.message,
            QStringLiteral("Email \"%1\" is not a valid e-mail address; EmailAddress left out").arg(email.toLower()));
    }

    void maxLength_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("fits");
        QTest::newRow("360 characters") << QString(360, QLatin1Char('a')) << true;
        QTest::newRow("361 characters") << QString(361, QLatin1Char('a')) << false;
        QString astral;
        for (int i = 0; i < 360; ++i)
            astral += QString::fromUtf8("\xF0\x9D\x94\x98"); // U+1D518: two UTF-16 units, one character
        QTest::newRow("360 characters outside the BMP") << astral << true;
        QTest::newRow("361 characters outside the BMP") << astral + QString::fromUtf8("\xF0\x9D\x94\x98") << false;
    }

    void maxLength()
    {
        QFETCH(QString, name);
        QFETCH(bool, fits);
        const QJsonObject record = account({{QStringLiteral("Account_Name"), name}});
        const MappingResult r = FieldMapper().map(MappingSet::defaults(), MappingSet::accounts(), record);
        QCOMPARE(r.ok(), fits);
        QCOMPARE(r.payload.contains(QStringLiteral("OrganizationName")), fits);
        if (fits) {
            QCOMPARE(r.payload.value(QStringLiteral("OrganizationName")).toString(), name); // never cut
            return;
        }
        QCOMPARE(r.errors().size(), 1); // the length error, not a second "required" error on top
        const FieldDiagnostic d = r.errors().at(0);
        QCOMPARE(d.target, QStringLiteral("OrganizationName"));
        QCOMPARE(d.source, QStringLiteral("Account_Name"));
        QCOMPARE(d.value, name);
        QVERIFY2(d.message.startsWith(QStringLiteral("OrganizationName from Account_Name is 361 characters long; "
                                                     "Oracle allows at most 360")),
                 qPrintable(d.message));
    }

    void lengthLimitsEveryField()
    {
        const QJsonObject record = contact({{QStringLiteral("Last_Name"), QStringLiteral("X")},
                                            {QStringLiteral("Mailing_City"), QString(61, QLatin1Char('c'))},
                                            {QStringLiteral("Mailing_Street"), QString(241, QLatin1Char('s'))}});
        const MappingResult r = FieldMapper().map(MappingSet::defaults(), MappingSet::contacts(), record);
        QVERIFY(!r.ok());
        QCOMPARE(r.errors().size(), 2);
        QCOMPARE(r.errors().at(0).target, QStringLiteral("AddressLine1"));
        QCOMPARE(r.errors().at(1).target, QStringLiteral("City"));
        QVERIFY(!r.payload.contains(QStringLiteral("City")));
        QVERIFY(!r.payload.contains(QStringLiteral("AddressLine1")));
    }

    void requiredMissing_data()
    {
        QTest::addColumn<QString>("module");
        QTest::addColumn<QJsonObject>("record");
        QTest::addColumn<QString>("message");
        QTest::newRow("contact without names")
            << MappingSet::contacts() << contact({{QStringLiteral("Email"), QStringLiteral("a@example.com")}})
            << QStringLiteral("OrganizationName is required, but First_Name, Last_Name give no value");
        QTest::newRow("contact with blank names")
            << MappingSet::contacts()
            << contact({{QStringLiteral("First_Name"), QStringLiteral(" ")}, {QStringLiteral("Last_Name"), QString()}})
            << QStringLiteral("OrganizationName is required, but First_Name, Last_Name give no value");
        QTest::newRow("account without a name")
            << MappingSet::accounts() << account({{QStringLiteral("Account_Name"), QStringLiteral("   ")}})
            << QStringLiteral("OrganizationName is required, but Account_Name gives no value");
    }

    void requiredMissing()
    {
        QFETCH(QString, module);
        QFETCH(QJsonObject, record);
        QFETCH(QString, message);
        const MappingResult r = FieldMapper().map(MappingSet::defaults(), module, record);
        QVERIFY(!r.ok());
        QCOMPARE(r.errors().size(), 1);
        QCOMPARE(r.errors().at(0).target, QStringLiteral("OrganizationName"));
        QCOMPARE(r.errors().at(0).message, message);
        QVERIFY(!r.payload.contains(QStringLiteral("OrganizationName")));
        // The lookup object on Contacts must not stand in for the missing name.
        QVERIFY(!compact(r.payload).contains("Zylker"));
    }

    void lookupObjects()
    {
        // Reading the lookup object itself as text is refused; its "name" member can be read explicitly.
        MappingSet set = MappingSet::defaults();
        QList<FieldRule> rules = set.rules(MappingSet::contacts());
        rules.append(rule(QStringLiteral("Description"), {QStringLiteral("Account_Name")}, {}));
        set.setRules(MappingSet::contacts(), rules);
        const QJsonObject record = contact({{QStringLiteral("Last_Name"), QStringLiteral("X")}});
        const MappingResult r = FieldMapper().map(set, MappingSet::contacts(), record);
        QVERIFY2(r.ok(), qPrintable(describe(r)));
        QVERIFY(!r.payload.contains(QStringLiteral("Description")));
        QCOMPARE(r.warnings().size(), 1);
        QCOMPARE(r.warnings().at(0).source, QStringLiteral("Account_Name"));
        QVERIFY(r.warnings().at(0).message.contains(QStringLiteral("holds an object or list, not text")));

        rules.last().sources = QStringList{QStringLiteral("Account_Name.name")};
        set.setRules(MappingSet::contacts(), rules);
        const MappingResult named = FieldMapper().map(set, MappingSet::contacts(), record);
        QVERIFY2(named.ok() && named.diagnostics.isEmpty(), qPrintable(describe(named)));
        QCOMPARE(named.payload.value(QStringLiteral("Description")).toString(), QStringLiteral("Zylker GmbH"));
        QCOMPARE(named.payload.value(QStringLiteral("OrganizationName")).toString(), QStringLiteral("X"));
    }

    void missingIdIsAnError()
    {
        QJsonObject record = account({{QStringLiteral("Account_Name"), QStringLiteral("Acme")}});
        record.remove(QStringLiteral("id"));
        const MappingResult r = FieldMapper().map(MappingSet::defaults(), MappingSet::accounts(), record);
        QVERIFY(!r.ok());
        QCOMPARE(r.errors().at(0).target, QStringLiteral("SourceSystemReferenceValue"));
        QVERIFY(!r.payload.contains(QStringLiteral("SourceSystemReferenceValue")));
        QCOMPARE(r.payload.value(QStringLiteral("OrganizationName")).toString(), QStringLiteral("Acme"));
    }

    void unknownModuleAndBrokenSets()
    {
        const QJsonObject record = account({{QStringLiteral("Account_Name"), QStringLiteral("Acme")}});
        const MappingResult leads = FieldMapper().map(MappingSet::defaults(), QStringLiteral("Leads"), record);
        QVERIFY(!leads.ok());
        QVERIFY(leads.payload.isEmpty());
        QCOMPARE(leads.errors().at(0).message, QStringLiteral("The mapping has no rules for Zoho module \"Leads\""));

        // A set built in code that never went through fromJson is checked before it maps anything.
        MappingSet broken = MappingSet::defaults();
        QList<FieldRule> rules = broken.rules(MappingSet::accounts());
        rules.append(rule(QStringLiteral("City"), {QStringLiteral("Shipping_City")}, {}));
        broken.setRules(MappingSet::accounts(), rules);
        const MappingResult r = FieldMapper().map(broken, MappingSet::accounts(), record);
        QVERIFY(!r.ok());
        QVERIFY(r.payload.isEmpty());
        QCOMPARE(r.errors().size(), 1);
        QCOMPARE(
            r.errors().at(0).message,
            QStringLiteral("Mapping rule problem: modules.Accounts.rules[8].target: duplicate target City, already "
                           "written by rules[4]"));
    }

    void customTransforms_data()
    {
        QTest::addColumn<QList<Transform>>("transforms");
        QTest::addColumn<QString>("defaultValue");
        QTest::addColumn<QJsonValue>("input");
        QTest::addColumn<QString>("output");     // empty: field left out
        QTest::addColumn<QString>("diagnostic"); // "E …"/"W …" prefix of the message, empty: none

        using K = Transform::Kind;
        const QMap<QString, QString> types{{QStringLiteral("Customer"), QStringLiteral("ZCA_CUSTOMER")},
                                           {QStringLiteral("Prospect"), QStringLiteral("ZCA_PROSPECT")}};
        QTest::newRow("upper") << QList<Transform>{Transform(K::Upper)} << QString()
                               << QJsonValue(QString::fromUtf8("straße")) << QString::fromUtf8("STRASSE") << QString();
        QTest::newRow("lower") << QList<Transform>{Transform(K::Lower)} << QString()
                               << QJsonValue(QStringLiteral("ABC")) << QStringLiteral("abc") << QString();
        QTest::newRow("trim then title") << QList<Transform>{Transform(K::Trim), Transform(K::Title)} << QString()
                                         << QJsonValue(QString::fromUtf8("  MÜLLER gmbh "))
                                         << QString::fromUtf8("Müller Gmbh") << QString();
        QTest::newRow("value map hit") << QList<Transform>{Transform::valueMap(types)} << QString()
                                       << QJsonValue(QStringLiteral("prospect")) << QStringLiteral("ZCA_PROSPECT")
                                       << QString();
        QTest::newRow("value map miss keeps the value")
            << QList<Transform>{Transform::valueMap(types)} << QString() << QJsonValue(QStringLiteral("Partner"))
            << QStringLiteral("Partner") << QString();
        QTest::newRow("value map otherwise")
            << QList<Transform>{Transform::valueMap(types, QStringLiteral("ZCA_CUSTOMER"))} << QString()
            << QJsonValue(QStringLiteral("Partner")) << QStringLiteral("ZCA_CUSTOMER") << QString();
        QTest::newRow("value map leaves empty alone")
            << QList<Transform>{Transform::valueMap(types, QStringLiteral("ZCA_CUSTOMER"))} << QString()
            << QJsonValue(QString()) << QString() << QString();
        QTest::newRow("default transform")
            << QList<Transform>{Transform::defaultTo(QStringLiteral("ZCA_PROSPECT"))} << QString()
            << QJsonValue(QJsonValue::Null) << QStringLiteral("ZCA_PROSPECT") << QString();
        QTest::newRow("rule default goes through the transforms")
            << QList<Transform>{Transform::valueMap(types)} << QStringLiteral("Customer") << QJsonValue(QString())
            << QStringLiteral("ZCA_CUSTOMER") << QString();
        QTest::newRow("number input") << QList<Transform>{} << QString() << QJsonValue(250) << QStringLiteral("250")
                                      << QString();
        QTest::newRow("required transform") << QList<Transform>{Transform(K::Trim), Transform(K::Required)} << QString()
                                            << QJsonValue(QStringLiteral(" ")) << QString()
                                            << QStringLiteral("E Type is required, but Account_Type gives no value");
        QTest::newRow("maxLength transform")
            << QList<Transform>{Transform::maxLengthOf(3)} << QString() << QJsonValue(QStringLiteral("ABCD"))
            << QString() << QStringLiteral("E Type from Account_Type is 4 characters long; at most 3 are allowed");
        QTest::newRow("country transform, unknown")
            << QList<Transform>{Transform(K::Country)} << QString() << QJsonValue(QStringLiteral("Atlantis"))
            << QString() << QStringLiteral("W Account_Type \"Atlantis\" is not a known country name or ISO 3166 code");
    }

    void customTransforms()
    {
        QFETCH(QList<Transform>, transforms);
        QFETCH(QString, defaultValue);
        QFETCH(QJsonValue, input);
        QFETCH(QString, output);
        QFETCH(QString, diagnostic);

        MappingSet set = MappingSet::defaults();
        QList<FieldRule> rules = set.rules(MappingSet::accounts());
        FieldRule type = rule(QStringLiteral("Type"), {QStringLiteral("Account_Type")}, transforms);
        type.defaultValue = defaultValue;
        rules.append(type);
        set.setRules(MappingSet::accounts(), rules);
        QVERIFY2(set.problems().isEmpty(), qPrintable(set.problems().join(QLatin1Char('\n'))));

        const QJsonObject record = account(
            {{QStringLiteral("Account_Name"), QStringLiteral("Acme")}, {QStringLiteral("Account_Type"), input}});
        const MappingResult r = FieldMapper().map(set, MappingSet::accounts(), record);
        QCOMPARE(r.payload.value(QStringLiteral("Type")).toString(), output);
        QCOMPARE(r.payload.contains(QStringLiteral("Type")), !output.isEmpty());
        if (diagnostic.isEmpty()) {
            QVERIFY2(r.diagnostics.isEmpty(), qPrintable(describe(r)));
        } else {
            QVERIFY2(describe(r).startsWith(diagnostic), qPrintable(describe(r)));
            QCOMPARE(r.diagnostics.size(), 1);
            QCOMPARE(r.ok(), diagnostic.startsWith(QLatin1Char('W')));
        }
    }

    void payloadNeverHoldsEmptyStrings()
    {
        // Every field present but empty or blank: only the id and the name may come out.
        QJsonObject fields{{QStringLiteral("Account_Name"), QStringLiteral("Acme")}};
        for (const char* f :
             {"Phone", "Website", "Billing_Street", "Billing_City", "Billing_State", "Billing_Code", "Billing_Country"})
            fields.insert(QLatin1String(f), QStringLiteral("  "));
        const MappingResult r = FieldMapper().map(MappingSet::defaults(), MappingSet::accounts(), account(fields));
        QVERIFY2(r.ok() && r.diagnostics.isEmpty(), qPrintable(describe(r)));
        QCOMPARE(r.payload.keys(),
                 (QStringList{QStringLiteral("OrganizationName"), QStringLiteral("SourceSystemReferenceValue")}));
    }

    // --- payloadHash ------------------------------------------------------------------------------------

    void payloadHash_data()
    {
        QTest::addColumn<QJsonObject>("a");
        QTest::addColumn<QJsonObject>("b");
        QTest::addColumn<bool>("same");

        QJsonObject forward;
        forward.insert(QStringLiteral("OrganizationName"), QStringLiteral("Acme"));
        forward.insert(QStringLiteral("City"), QString::fromUtf8("München"));
        forward.insert(QStringLiteral("Nested"), QJsonObject{{QStringLiteral("z"), 1}, {QStringLiteral("a"), true}});
        QJsonObject backward;
        backward.insert(QStringLiteral("Nested"), QJsonObject{{QStringLiteral("a"), true}, {QStringLiteral("z"), 1}});
        backward.insert(QStringLiteral("City"), QString::fromUtf8("München"));
        backward.insert(QStringLiteral("OrganizationName"), QStringLiteral("Acme"));
        QTest::newRow("key order does not matter") << forward << backward << true;

        QJsonObject changed = forward;
        changed.insert(QStringLiteral("City"), QStringLiteral("Berlin"));
        QTest::newRow("a changed value does") << forward << changed << false;
        QTest::newRow("string vs number") << QJsonObject{{QStringLiteral("PhoneCountryCode"), QStringLiteral("49")}}
                                          << QJsonObject{{QStringLiteral("PhoneCountryCode"), 49}} << false;
        QJsonObject extra = forward;
        extra.insert(QStringLiteral("State"), QStringLiteral("BY"));
        QTest::newRow("an extra key") << forward << extra << false;
        QTest::newRow("key/value boundaries")
            << QJsonObject{{QStringLiteral("a"), QStringLiteral("b,\"c\":\"d")}}
            << QJsonObject{{QStringLiteral("a"), QStringLiteral("b")}, {QStringLiteral("c"), QStringLiteral("d")}}
            << false;
    }

    void payloadHash()
    {
        QFETCH(QJsonObject, a);
        QFETCH(QJsonObject, b);
        QFETCH(bool, same);
        const QByteArray ha = FieldMapper::payloadHash(a);
        QCOMPARE(ha.size(), 64);
        QVERIFY(QByteArray::fromHex(ha).toHex() == ha);
        QCOMPARE(ha == FieldMapper::payloadHash(b), same);
        QCOMPARE(FieldMapper::payloadHash(a), ha); // deterministic
    }

    void payloadHashIsSha256OfSortedCompactJson()
    {
        // Pinned to the canonical form so the stored hashes stay valid across Qt versions and releases.
        const QJsonObject payload{{QStringLiteral("b"), 2},
                                  {QStringLiteral("A"), QString::fromUtf8("ü\"")},
                                  {QStringLiteral("c"), QJsonObject{{QStringLiteral("y"), QJsonValue::Null},
                                                                    {QStringLiteral("x"), QJsonArray{true, 1.5}}}}};
        const QByteArray canonical =
            QString::fromUtf8("{\"A\":\"ü\\\"\",\"b\":2,\"c\":{\"x\":[true,1.5],\"y\":null}}").toUtf8();
        QCOMPARE(FieldMapper::payloadHash(payload),
                 QCryptographicHash::hash(canonical, QCryptographicHash::Sha256).toHex());
    }

    // --- preview ----------------------------------------------------------------------------------------

    void preview_data()
    {
        QTest::addColumn<bool>("hasCurrent");
        QTest::addColumn<QJsonObject>("current");
        QTest::addColumn<QStringList>("expected"); // "Field=Kind" in rule order

        const QJsonObject same{{QStringLiteral("SourceSystemReferenceValue"), kAccountId},
                               {QStringLiteral("OrganizationName"), QString::fromUtf8("Müller GmbH")},
                               {QStringLiteral("PhoneCountryCode"), QStringLiteral("49")},
                               {QStringLiteral("PhoneAreaCode"), QStringLiteral("89")},
                               {QStringLiteral("PhoneNumber"), QStringLiteral("1234567")},
                               {QStringLiteral("City"), QString::fromUtf8("München")},
                               {QStringLiteral("Country"), QStringLiteral("DE")},
                               {QStringLiteral("PartyId"), 300000001234567.0},
                               {QStringLiteral("PartyNumber"), QStringLiteral("CDRM_1234")}};
        const QStringList allUnchanged{QStringLiteral("SourceSystemReferenceValue=Unchanged"),
                                       QStringLiteral("OrganizationName=Unchanged"),
                                       QStringLiteral("PhoneCountryCode=Unchanged"),
                                       QStringLiteral("PhoneAreaCode=Unchanged"),
                                       QStringLiteral("PhoneNumber=Unchanged"),
                                       QStringLiteral("City=Unchanged"),
                                       QStringLiteral("Country=Unchanged")};

        QTest::newRow("no Oracle item: all new") << false << QJsonObject()
                                                 << QStringList{QStringLiteral("SourceSystemReferenceValue=New"),
                                                                QStringLiteral("OrganizationName=New"),
                                                                QStringLiteral("PhoneCountryCode=New"),
                                                                QStringLiteral("PhoneAreaCode=New"),
                                                                QStringLiteral("PhoneNumber=New"),
                                                                QStringLiteral("City=New"),
                                                                QStringLiteral("Country=New")};
        QTest::newRow("identical") << true << same << allUnchanged;

        QJsonObject cosmetic = same;
        cosmetic.insert(QStringLiteral("OrganizationName"), QString::fromUtf8("  Müller   GmbH "));
        cosmetic.insert(QStringLiteral("PhoneCountryCode"), 49);
        cosmetic.insert(QStringLiteral("Country"), QStringLiteral("de"));
        QTest::newRow("cosmetic differences") << true << cosmetic << allUnchanged;

        QJsonObject changed = same;
        changed.insert(QStringLiteral("City"), QStringLiteral("Berlin"));
        changed.remove(QStringLiteral("PhoneAreaCode"));
        changed.insert(QStringLiteral("State"), QStringLiteral("BY"));
        changed.insert(QStringLiteral("RawPhoneNumber"), QString());
        QTest::newRow("changed, new and removed") << true << changed
                                                  << QStringList{QStringLiteral("SourceSystemReferenceValue=Unchanged"),
                                                                 QStringLiteral("OrganizationName=Unchanged"),
                                                                 QStringLiteral("PhoneCountryCode=Unchanged"),
                                                                 QStringLiteral("PhoneAreaCode=New"),
                                                                 QStringLiteral("PhoneNumber=Unchanged"),
                                                                 QStringLiteral("City=Changed"),
                                                                 QStringLiteral("State=Removed"),
                                                                 QStringLiteral("Country=Unchanged")};
    }

    void preview()
    {
        QFETCH(bool, hasCurrent);
        QFETCH(QJsonObject, current);
        QFETCH(QStringList, expected);

        const QJsonObject record = account({{QStringLiteral("Account_Name"), QString::fromUtf8("Müller GmbH")},
                                            {QStringLiteral("Phone"), QStringLiteral("+49 89 1234567")},
                                            {QStringLiteral("Billing_City"), QString::fromUtf8("München")},
                                            {QStringLiteral("Billing_Country"), QStringLiteral("Deutschland")}});
        const MappingPreview p = FieldMapper().preview(MappingSet::defaults(), MappingSet::accounts(), record,
                                                       hasCurrent ? std::optional<QJsonObject>(current) : std::nullopt);
        QVERIFY2(p.result.ok(), qPrintable(describe(p.result)));

        static const char* const kinds[] = {"Unchanged", "Changed", "New", "Removed"};
        QStringList actual;
        for (const FieldChange& c : p.changes) {
            actual.append(c.field + QLatin1Char('=') + QLatin1String(kinds[c.kind]));
            QCOMPARE(c.after, p.result.payload.value(c.field));
            if (c.kind == FieldChange::New)
                QVERIFY(c.before.isUndefined());
            else
                QCOMPARE(c.before, current.value(c.field));
        }
        QCOMPARE(actual, expected);
        const bool changes = std::any_of(expected.cbegin(), expected.cend(),
                                         [](const QString& e) { return !e.endsWith(QLatin1String("=Unchanged")); });
        QCOMPARE(p.hasChanges(), changes);
    }

    void previewHasChanges()
    {
        const QJsonObject record = account({{QStringLiteral("Account_Name"), QStringLiteral("Acme")}});
        const QJsonObject same{{QStringLiteral("SourceSystemReferenceValue"), kAccountId},
                               {QStringLiteral("OrganizationName"), QStringLiteral("Acme ")}};
        FieldMapper mapper;
        QVERIFY(!mapper.preview(MappingSet::defaults(), MappingSet::accounts(), record, same).hasChanges());
        QVERIFY(mapper.preview(MappingSet::defaults(), MappingSet::accounts(), record, std::nullopt).hasChanges());
        QJsonObject renamed = same;
        renamed.insert(QStringLiteral("OrganizationName"), QStringLiteral("Acme Ltd"));
        const MappingPreview p = mapper.preview(MappingSet::defaults(), MappingSet::accounts(), record, renamed);
        QVERIFY(p.hasChanges());
        QCOMPARE(p.changes.at(1).kind, FieldChange::Changed);
        QCOMPARE(p.changes.at(1).before.toString(), QStringLiteral("Acme Ltd"));
        QCOMPARE(p.changes.at(1).after.toString(), QStringLiteral("Acme"));
    }
};

QTEST_GUILESS_MAIN(tst_Mapping)
#include "tst_Mapping.moc"
