#include "SoakEvents.h"

#include "SimTestClient.h"

#include <QJsonArray>
#include <QJsonObject>

namespace Soak {

namespace {
const QString kContacts = QStringLiteral("Contacts");
const QString kAccounts = QStringLiteral("Accounts");
// Longer than Oracle's 360-character OrganizationName: the mapper must reject the record.
const QString kTooLong = QString(380, QLatin1Char('x'));

const QStringList kCities{QStringLiteral("Lyon"),   QStringLiteral("München"), QStringLiteral("São Paulo"),
                          QStringLiteral("Kraków"), QStringLiteral("Osaka"),   QStringLiteral("Springfield")};
const QStringList kStates{QStringLiteral("CA"), QStringLiteral("NY"), QStringLiteral("Bayern"),
                          QStringLiteral("Île-de-France")};
const QStringList kCountries{QStringLiteral("US"), QStringLiteral("Germany"), QStringLiteral("FR"),
                             QStringLiteral("Japan")};
} // namespace

EventDriver::EventDriver(SimTest::Client& control, quint32 seed)
    : m_control(control)
    , m_rng(seed)
{ }

bool EventDriver::loadIds()
{
    for (const QString& module : {kContacts, kAccounts}) {
        const auto r = m_control.get(QStringLiteral("/_sim/zoho/") + module);
        if (r.status != 200)
            return false;
        QStringList ids;
        for (const auto& v : SimTest::listOf(r))
            ids << v.toObject().value(QStringLiteral("id")).toString();
        m_ids.insert(module, ids);
    }
    return true;
}

QString EventDriver::pick(const QStringList& from)
{
    return from.isEmpty() ? QString() : from.at(int(m_rng.bounded(quint32(from.size()))));
}

QString EventDriver::token()
{
    return QStringLiteral("%1%2").arg(++m_serial).arg(QChar(QLatin1Char('a' + int(m_rng.bounded(26u)))));
}

void EventDriver::sendOne(bool serveDown)
{
    const QString module = m_rng.bounded(3u) < 2 ? kContacts : kAccounts;
    if (m_rng.bounded(100u) < 25)
        create(module, serveDown);
    else
        edit(module, serveDown);
}

void EventDriver::sendEdit(bool serveDown)
{
    edit(m_rng.bounded(3u) < 2 ? kContacts : kAccounts, serveDown);
}

bool EventDriver::send(const QByteArray& method, const QString& path, const QJsonObject& body, QString* createdId)
{
    const auto r = m_control.control(method, path, body);
    if (r.status != 200 && r.status != 201) {
        ++m_counts.refused;
        return false;
    }
    if (createdId)
        *createdId = SimTest::findKey(r.json(), QStringLiteral("id")).toString();
    return true;
}

void EventDriver::create(const QString& module, bool serveDown)
{
    const QString t = token();
    const bool bad = m_rng.bounded(100u) < 2;
    QJsonObject body;
    if (module == kContacts) {
        body = QJsonObject{{QStringLiteral("First_Name"), QStringLiteral("Soak")},
                           {QStringLiteral("Last_Name"), bad ? kTooLong : QStringLiteral("Contact ") + t},
                           {QStringLiteral("Email"), QStringLiteral("soak.%1@example.com").arg(t)},
                           {QStringLiteral("Mailing_City"), pick(kCities)},
                           {QStringLiteral("Mailing_Zip"), QString::number(10000 + m_rng.bounded(89999u))},
                           {QStringLiteral("Mailing_Country"), pick(kCountries)}};
    } else {
        body = QJsonObject{{QStringLiteral("Account_Name"), bad ? kTooLong : QStringLiteral("Soak Account ") + t},
                           {QStringLiteral("Billing_City"), pick(kCities)},
                           {QStringLiteral("Billing_Code"), QString::number(10000 + m_rng.bounded(89999u))},
                           {QStringLiteral("Billing_Country"), pick(kCountries)},
                           {QStringLiteral("Website"), QStringLiteral("https://soak-%1.example.com").arg(t)}};
    }
    QString id;
    if (!send("POST", QStringLiteral("/_sim/zoho/") + module, body, &id))
        return;
    if (!id.isEmpty())
        m_ids[module] << id;
    ++m_counts.creates;
    m_counts.whileDown += serveDown ? 1 : 0;
    m_counts.badVersions += bad ? 1 : 0;
}

void EventDriver::edit(const QString& module, bool serveDown)
{
    const QString id = pick(m_ids.value(module));
    if (id.isEmpty())
        return;
    const QString t = token();
    const bool bad = m_rng.bounded(100u) < 3;
    QJsonObject body;
    // Every edit sets values, never clears one: a cleared field is kept by Oracle (PATCH leaves absent
    // attributes alone), which the soak does not judge.
    const auto maybe = [&](const QString& field, const QString& value) {
        if (m_rng.bounded(2u) == 0)
            body.insert(field, value);
    };
    if (module == kContacts) {
        maybe(QStringLiteral("Email"), QStringLiteral("edited.%1@example.com").arg(t));
        maybe(QStringLiteral("Mailing_City"), pick(kCities));
        maybe(QStringLiteral("Mailing_Zip"), QString::number(10000 + m_rng.bounded(89999u)));
        maybe(QStringLiteral("Mailing_State"), pick(kStates));
        maybe(QStringLiteral("First_Name"), QStringLiteral("Edited"));
        if (bad)
            body.insert(QStringLiteral("Last_Name"), kTooLong);
        else
            maybe(QStringLiteral("Last_Name"), QString(QStringLiteral("Contact ") + t));
        if (body.isEmpty())
            body.insert(QStringLiteral("Mailing_City"), QString(QStringLiteral("Edited City ") + t));
    } else {
        maybe(QStringLiteral("Billing_City"), pick(kCities));
        maybe(QStringLiteral("Billing_Code"), QString::number(10000 + m_rng.bounded(89999u)));
        maybe(QStringLiteral("Billing_State"), pick(kStates));
        maybe(QStringLiteral("Website"), QStringLiteral("https://edited-%1.example.com").arg(t));
        if (bad)
            body.insert(QStringLiteral("Account_Name"), kTooLong);
        else
            maybe(QStringLiteral("Account_Name"), QString(QStringLiteral("Soak Account ") + t));
        if (body.isEmpty())
            body.insert(QStringLiteral("Billing_City"), QString(QStringLiteral("Edited City ") + t));
    }
    if (!send("PATCH", QStringLiteral("/_sim/zoho/%1/%2").arg(module, id), body, nullptr))
        return;
    ++m_counts.edits;
    m_counts.whileDown += serveDown ? 1 : 0;
    m_counts.badVersions += bad ? 1 : 0;
}

} // namespace Soak
