#include "mapping/CountryIndex.h"
#include "mapping/OracleFields.h"
#include "mapping/PhoneNormaliser.h"
#include "mapping/TextTransforms.h"

#include <QFile>
#include <QTest>

using namespace Core;

class tst_MappingTransforms : public QObject
{
    Q_OBJECT

private slots:
    void isoCodesDataIsThere()
    {
        // The Debian iso-codes file is the primary source; without it the index would fall back to Qt alone.
        QVERIFY2(QFile::exists(CountryIndex::defaultDataPath()), "install the iso-codes package");
        QVERIFY2(CountryIndex::shared().hasIsoCodes(), qPrintable(CountryIndex::shared().loadError()));
        QVERIFY(CountryIndex::shared().countryCount() >= 249);
        QCOMPARE(CountryIndex::shared().name(QStringLiteral("de")), QStringLiteral("Germany"));
    }

    void countries_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("alpha2");

        QTest::newRow("native German") << QStringLiteral("Deutschland") << QStringLiteral("DE");
        QTest::newRow("English name") << QStringLiteral("United States") << QStringLiteral("US");
        QTest::newRow("alpha-3") << QStringLiteral("USA") << QStringLiteral("US");
        QTest::newRow("alpha-3 with dots") << QStringLiteral("U.S.A.") << QStringLiteral("US");
        QTest::newRow("official name") << QStringLiteral("United States of America") << QStringLiteral("US");
        QTest::newRow("native Portuguese") << QStringLiteral("Brasil") << QStringLiteral("BR");
        QTest::newRow("native Japanese") << QString::fromUtf8("日本") << QStringLiteral("JP");
        QTest::newRow("alpha-2") << QStringLiteral("DE") << QStringLiteral("DE");
        QTest::newRow("alpha-2 lower case") << QStringLiteral("de") << QStringLiteral("DE");
        QTest::newRow("alpha-3 lower case") << QStringLiteral("deu") << QStringLiteral("DE");
        QTest::newRow("numeric") << QStringLiteral("276") << QStringLiteral("DE");
        QTest::newRow("France") << QStringLiteral("France") << QStringLiteral("FR");
        QTest::newRow("accents and apostrophe") << QString::fromUtf8("Côte d'Ivoire") << QStringLiteral("CI");
        QTest::newRow("no accent, typographic apostrophe")
            << QString::fromUtf8("COTE D\u2019IVOIRE") << QStringLiteral("CI");
        QTest::newRow("native Spanish") << QString::fromUtf8("España") << QStringLiteral("ES");
        QTest::newRow("accent dropped") << QStringLiteral("Espana") << QStringLiteral("ES");
        QTest::newRow("native Russian") << QString::fromUtf8("Россия") << QStringLiteral("RU");
        QTest::newRow("Qt English name") << QStringLiteral("South Korea") << QStringLiteral("KR");
        QTest::newRow("iso common name") << QStringLiteral("Taiwan") << QStringLiteral("TW");
        QTest::newRow("surrounding space") << QStringLiteral("  germany ") << QStringLiteral("DE");
        QTest::newRow("unknown") << QStringLiteral("Atlantis") << QString();
        QTest::newRow("no invented alias") << QStringLiteral("Holland") << QString();
        QTest::newRow("punctuation only") << QStringLiteral("..") << QString();
        QTest::newRow("empty") << QString() << QString();
    }

    void countries()
    {
        QFETCH(QString, input);
        QFETCH(QString, alpha2);
        const CountryIndex::Match match = CountryIndex::shared().lookup(input);
        QCOMPARE(match.alpha2, alpha2);
        QCOMPARE(match.found(), !alpha2.isEmpty());
    }

    void normalise_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("normalised");
        QTest::newRow("dots") << QStringLiteral("U.S.A.") << QStringLiteral("usa");
        QTest::newRow("accents") << QString::fromUtf8("Côte d'Ivoire") << QStringLiteral("cotedivoire");
        QTest::newRow("cjk kept") << QString::fromUtf8("日本") << QString::fromUtf8("日本");
        QTest::newRow("digits kept") << QStringLiteral(" 276 ") << QStringLiteral("276");
    }

    void normalise()
    {
        QFETCH(QString, input);
        QFETCH(QString, normalised);
        QCOMPARE(CountryIndex::normalise(input), normalised);
    }

    void countryIndexUsesOnlyItsData()
    {
        // Built from a one-country iso-codes file: Qt still supplies names (native, English) but only for
        // codes iso-codes lists, so every answer is a code from the data, not from a table of ours.
        const QByteArray oneCountry = "{\"3166-1\":[{\"alpha_2\":\"DE\",\"alpha_3\":\"DEU\",\"name\":\"Germany\","
                                      "\"numeric\":\"276\",\"official_name\":\"Federal Republic of Germany\"}]}";
        const CountryIndex index(oneCountry);
        QVERIFY(index.hasIsoCodes());
        QCOMPARE(index.countryCount(), 1);
        QCOMPARE(index.alpha2(QStringLiteral("federal republic of germany")), QStringLiteral("DE"));
        QCOMPARE(index.alpha2(QStringLiteral("Deutschland")), QStringLiteral("DE"));
        QCOMPARE(index.alpha2(QStringLiteral("France")), QString());
        QCOMPARE(index.alpha2(QStringLiteral("FR")), QString());
    }

    void countryIndexWithoutIsoCodesFallsBackToQt()
    {
        const CountryIndex index(QByteArray("not json"));
        QVERIFY(!index.hasIsoCodes());
        QVERIFY(index.loadError().contains(QStringLiteral("not JSON")));
        QCOMPARE(index.alpha2(QStringLiteral("Deutschland")), QStringLiteral("DE"));
        QCOMPARE(index.alpha2(QStringLiteral("fr")), QStringLiteral("FR"));
        const CountryIndex missing = CountryIndex::fromFile(QStringLiteral("/nonexistent/iso_3166-1.json"));
        QVERIFY(missing.loadError().contains(QStringLiteral("/nonexistent/iso_3166-1.json")));
        QCOMPARE(missing.alpha2(QString::fromUtf8("日本")), QStringLiteral("JP"));
    }

    void phones_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("region");
        QTest::addColumn<QString>("countryCode"); // empty: expect an error containing `why`
        QTest::addColumn<QString>("areaCode");
        QTest::addColumn<QString>("number");
        QTest::addColumn<QString>("extension");
        QTest::addColumn<QString>("why");

        QTest::newRow("+CC with (0), no hint needed")
            << QStringLiteral("+49 (0)89 123-4567") << QString() << QStringLiteral("49") << QStringLiteral("89")
            << QStringLiteral("1234567") << QString() << QString();
        QTest::newRow("+CC with a different hint")
            << QStringLiteral("+49 (0)89 123-4567") << QStringLiteral("FR") << QStringLiteral("49")
            << QStringLiteral("89") << QStringLiteral("1234567") << QString() << QString();
        QTest::newRow("00 international prefix, GB")
            << QStringLiteral("0044 20 7946 0958") << QStringLiteral("GB") << QStringLiteral("44")
            << QStringLiteral("20") << QStringLiteral("79460958") << QString() << QString();
        QTest::newRow("national JP") << QStringLiteral("03-1234-5678") << QStringLiteral("JP") << QStringLiteral("81")
                                     << QStringLiteral("3") << QStringLiteral("12345678") << QString() << QString();
        QTest::newRow("US with extension")
            << QStringLiteral("(212) 555-0100 ext. 12") << QStringLiteral("US") << QStringLiteral("1")
            << QStringLiteral("212") << QStringLiteral("5550100") << QStringLiteral("12") << QString();
        QTest::newRow("German mobile: destination code as area")
            << QStringLiteral("0171 1234567") << QStringLiteral("DE") << QStringLiteral("49") << QStringLiteral("171")
            << QStringLiteral("1234567") << QString() << QString();
        // 555 is no assigned US area code, so libphonenumber rejects the classic fictional number.
        QTest::newRow("fictional 555 with extension")
            << QStringLiteral("(555) 010-1234 ext. 12") << QStringLiteral("US") << QString() << QString() << QString()
            << QString() << QStringLiteral("is not a valid number for region US");
        QTest::newRow("too short") << QStringLiteral("12") << QStringLiteral("DE") << QString() << QString()
                                   << QString() << QString() << QStringLiteral("is not a valid number for region DE");
        QTest::newRow("national without hint")
            << QStringLiteral("030 1234567") << QString() << QString() << QString() << QString() << QString()
            << QStringLiteral("no country code (+CC) and no usable region");
        QTest::newRow("unknown +CC") << QStringLiteral("+999 1234") << QString() << QString() << QString() << QString()
                                     << QString() << QStringLiteral("unknown country code");
        QTest::newRow("words") << QStringLiteral("hello") << QStringLiteral("DE") << QString() << QString() << QString()
                               << QString() << QStringLiteral("is not a phone number");
        QTest::newRow("empty") << QStringLiteral("  ") << QStringLiteral("DE") << QString() << QString() << QString()
                               << QString() << QStringLiteral("is empty");
    }

    void phones()
    {
        QFETCH(QString, input);
        QFETCH(QString, region);
        QFETCH(QString, countryCode);
        QFETCH(QString, areaCode);
        QFETCH(QString, number);
        QFETCH(QString, extension);
        QFETCH(QString, why);

        const Result<PhoneParts> parts = PhoneNormaliser::normalise(input, region);
        if (countryCode.isEmpty()) {
            QVERIFY(!parts.ok());
            QVERIFY2(parts.error().message.contains(why), qPrintable(parts.error().message));
            return;
        }
        QVERIFY2(parts.ok(), qPrintable(parts.ok() ? QString() : parts.error().message));
        QCOMPARE(parts.value().countryCode, countryCode);
        QCOMPARE(parts.value().areaCode, areaCode);
        QCOMPARE(parts.value().number, number);
        QCOMPARE(parts.value().extension, extension);
        QCOMPARE(parts.value().e164, QLatin1Char('+') + countryCode + areaCode + number);
    }

    void title_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("output");
        QTest::newRow("company") << QStringLiteral("MÜLLER gmbh & co. kg") << QString::fromUtf8("Müller Gmbh & Co. Kg");
        QTest::newRow("hyphen") << QStringLiteral("jean-luc picard") << QStringLiteral("Jean-Luc Picard");
        QTest::newRow("apostrophe stays inside") << QStringLiteral("don't stop") << QStringLiteral("Don't Stop");
        QTest::newRow("digits") << QStringLiteral("3RD STREET") << QStringLiteral("3rd Street");
        QTest::newRow("polish") << QString::fromUtf8("łukasz") << QString::fromUtf8("Łukasz");
    }

    void title()
    {
        QFETCH(QString, input);
        QFETCH(QString, output);
        QCOMPARE(TextTransforms::title(input), output);
    }

    void email_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<bool>("valid");
        QTest::newRow("plain") << QStringLiteral("zoe@example.com") << true;
        QTest::newRow("plus and subdomain") << QStringLiteral("a.b+tag@mail.example.co.uk") << true;
        QTest::newRow("unicode domain") << QString::fromUtf8("lukasz@przykład.pl") << true;
        QTest::newRow("no at") << QStringLiteral("zoe.example.com") << false;
        QTest::newRow("no domain dot") << QStringLiteral("zoe@localhost") << false;
        QTest::newRow("two ats") << QStringLiteral("a@b@example.com") << false;
        QTest::newRow("space") << QStringLiteral("zoe @example.com") << false;
        QTest::newRow("trailing at") << QStringLiteral("bob@") << false;
        QTest::newRow("double dot local") << QStringLiteral("a..b@example.com") << false;
        QTest::newRow("empty label") << QStringLiteral("a@example..com") << false;
    }

    void email()
    {
        QFETCH(QString, input);
        QFETCH(bool, valid);
        QCOMPARE(TextTransforms::isValidEmail(input), valid);
    }

    void valueMap_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<bool>("withOtherwise");
        QTest::addColumn<QString>("output");
        QTest::newRow("exact") << QStringLiteral("Customer") << false << QStringLiteral("ZCA_CUSTOMER");
        QTest::newRow("case-insensitive") << QStringLiteral("prospect") << false << QStringLiteral("ZCA_PROSPECT");
        QTest::newRow("unmatched unchanged") << QStringLiteral("Partner") << false << QStringLiteral("Partner");
        QTest::newRow("unmatched otherwise") << QStringLiteral("Partner") << true << QStringLiteral("ZCA_OTHER");
    }

    void valueMap()
    {
        QFETCH(QString, input);
        QFETCH(bool, withOtherwise);
        QFETCH(QString, output);
        const QMap<QString, QString> map{{QStringLiteral("Customer"), QStringLiteral("ZCA_CUSTOMER")},
                                         {QStringLiteral("Prospect"), QStringLiteral("ZCA_PROSPECT")}};
        const std::optional<QString> otherwise =
            withOtherwise ? std::optional<QString>(QStringLiteral("ZCA_OTHER")) : std::nullopt;
        QCOMPARE(TextTransforms::mapValue(input, map, otherwise), output);
    }

    void streetLines_data()
    {
        QTest::addColumn<QString>("street");
        QTest::addColumn<QStringList>("lines");
        QTest::addColumn<int>("overflow");

        QTest::newRow("one line") << QStringLiteral("  Leopoldstr. 1  ") << QStringList{QStringLiteral("Leopoldstr. 1")}
                                  << 0;
        QTest::newRow("three lines with blanks")
            << QStringLiteral("\n  c/o Müller \r\n\r\n Hauptstr. 5\n   \nHinterhaus\n")
            << QStringList{QString::fromUtf8("c/o Müller"), QStringLiteral("Hauptstr. 5"), QStringLiteral("Hinterhaus")}
            << 0;
        QTest::newRow("six lines") << QStringLiteral("L1\nL2\nL3\nL4\nL5\nL6")
                                   << QStringList{QStringLiteral("L1"), QStringLiteral("L2"), QStringLiteral("L3"),
                                                  QStringLiteral("L4, L5, L6")}
                                   << 2;
        QTest::newRow("comma kept in a short line")
            << QStringLiteral("Building 3, Floor 2") << QStringList{QStringLiteral("Building 3, Floor 2")} << 0;
        const QString part150(150, QLatin1Char('a'));
        const QString part100(100, QLatin1Char('b'));
        QTest::newRow("long line split at comma") << (part150 + QStringLiteral(", ") + part100 + QStringLiteral(", c"))
                                                  << QStringList{part150, part100 + QStringLiteral(", c")} << 0;
        const QString part300(300, QLatin1Char('x'));
        QTest::newRow("long part is not cut") << part300 << QStringList{part300} << 0;
        QTest::newRow("empty") << QStringLiteral(" \n ") << QStringList{} << 0;
    }

    void streetLines()
    {
        QFETCH(QString, street);
        QFETCH(QStringList, lines);
        QFETCH(int, overflow);
        const TextTransforms::StreetLines split = TextTransforms::splitStreet(street);
        QCOMPARE(split.lines, lines);
        QCOMPARE(split.overflow, overflow);
    }

    void oracleFieldTable_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<int>("maxLength");
        QTest::newRow("OrganizationName") << QStringLiteral("OrganizationName") << 360;
        QTest::newRow("EmailAddress") << QStringLiteral("EmailAddress") << 320;
        QTest::newRow("PhoneCountryCode") << QStringLiteral("PhoneCountryCode") << 10;
        QTest::newRow("PhoneAreaCode") << QStringLiteral("PhoneAreaCode") << 20;
        QTest::newRow("PhoneNumber") << QStringLiteral("PhoneNumber") << 40;
        QTest::newRow("RawPhoneNumber") << QStringLiteral("RawPhoneNumber") << 60;
        QTest::newRow("AddressLine4") << QStringLiteral("AddressLine4") << 240;
        QTest::newRow("City") << QStringLiteral("City") << 60;
        QTest::newRow("State") << QStringLiteral("State") << 60;
        QTest::newRow("PostalCode") << QStringLiteral("PostalCode") << 60;
        QTest::newRow("Country") << QStringLiteral("Country") << 2;
        QTest::newRow("URL") << QStringLiteral("URL") << 2000;
        QTest::newRow("Description") << QStringLiteral("Description") << 2000;
    }

    void oracleFieldTable()
    {
        QFETCH(QString, field);
        QFETCH(int, maxLength);
        QVERIFY(OracleFields::isMappable(field));
        QCOMPARE(OracleFields::maxLength(field), maxLength);
        QVERIFY(!OracleFields::isMappable(QStringLiteral("PartyId")));
        QVERIFY(!OracleFields::isMappable(QStringLiteral("PrimaryEmailAddress")));
        QVERIFY(!OracleFields::isMappable(OracleFields::sourceReference()));
    }
};

QTEST_GUILESS_MAIN(tst_MappingTransforms)
#include "tst_MappingTransforms.moc"
