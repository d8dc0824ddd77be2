// Oracle Fusion answers through the real OracleClient → ApiClient → HttpClient stack, served by
// canned replies: collection pages, single items, batch answers and both error shapes (plain text
// and o:errorDetails). Input: one letter choosing the call, then the answers separated by
// "\n--next--\n"; each answer is "<status>\n[<Header: value>\n…\n]\n<body>".
#include "FuzzSupport.h"

#include "net/HttpTypes.h"
#include "oracle/OracleClient.h"

#include <cstdint>

using namespace Core;

namespace {

struct Harness
{
    Fuzz::CannedApi api;
    OracleClient oracle{&api.api, QUrl(QStringLiteral("https://acme.fa.us2.oraclecloud.com")),
                        QStringLiteral("ZOHO_CRM")};
};

Harness* harness = nullptr;

template <typename T>
void run(const std::function<void(std::function<void(Result<T>)>)>& call)
{
    int calls = 0;
    call([&calls](Result<T> r) {
        if (++calls > 1)
            Fuzz::fail("a callback ran twice");
        if (!r.ok() && r.error().message.isEmpty())
            Fuzz::fail("an error without a message");
    });
    Fuzz::runUntil([&calls] { return calls > 0; });
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    Fuzz::initApplication();
    harness = new Harness;
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size == 0)
        return 0;
    // 'a' + n chooses call n; any byte chooses one.
    const int choice = (int(data[0]) + 256 - 'a') % 10;
    const QByteArray rest(reinterpret_cast<const char*>(data + 1), qsizetype(size - 1));
    const QList<QByteArray> parts = Fuzz::splitParts(rest, QByteArrayLiteral("\n--next--\n"));
    harness->api.network.load(parts);
    OracleClient& o = harness->oracle;
    QObject* ctx = &harness->api.context;
    using Page = QPair<QList<QJsonObject>, bool>;

    switch (choice) {
    case 0:
        run<QList<OracleAccount>>(
            [&](auto cb) { o.findBySourceReference(QStringLiteral("4876876000000624001"), ctx, cb); });
        break;
    case 1:
        run<std::optional<OracleAccount>>([&](auto cb) { o.findByPartyNumber(QStringLiteral("CDRM_1001"), ctx, cb); });
        break;
    case 2:
        run<OracleAccount>([&](auto cb) {
            o.createAccount(
                QJsonObject{{QStringLiteral("OrganizationName"), QStringLiteral("Müller GmbH")},
                            {QStringLiteral("SourceSystemReferenceValue"), QStringLiteral("4876876000000624001")}},
                ctx, cb);
        });
        break;
    case 3:
        run<OracleAccount>([&](auto cb) {
            o.updateAccount(QStringLiteral("CDRM_1001"),
                            QJsonObject{{QStringLiteral("OrganizationName"), QStringLiteral("Müller AG")}},
                            QByteArrayLiteral("\"ACED0005\""), ctx, cb);
        });
        break;
    case 4:
        run<Page>([&](auto cb) { o.listOurAccounts(0, 100, ctx, cb); });
        break;
    case 5:
        run<Page>([&](auto cb) {
            o.accountsChangedSince(QDateTime::fromMSecsSinceEpoch(1718117126000, Qt::UTC), 0, 100, ctx, cb);
        });
        break;
    case 6:
        run<std::optional<QJsonObject>>([&](auto cb) { o.receivablesActivity(QStringLiteral("1001"), ctx, cb); });
        break;
    case 7:
        run<std::optional<QJsonObject>>(
            [&](auto cb) { o.receivablesActivityForParty(QStringLiteral("300100012345678"), ctx, cb); });
        break;
    case 8:
        run<QJsonArray>([&](auto cb) {
            const QJsonObject part{
                {QStringLiteral("id"), QStringLiteral("part1")},
                {QStringLiteral("path"), QStringLiteral("/accounts")},
                {QStringLiteral("operation"), QStringLiteral("create")},
                {QStringLiteral("payload"), QJsonObject{{QStringLiteral("OrganizationName"), QStringLiteral("A")}}}};
            o.batch(QJsonArray{part, part}, ctx, cb);
        });
        break;
    default: { // the pure parts on the first answer
        const Fuzz::CannedAnswer a = Fuzz::CannedAnswer::parse(parts.value(0));
        HttpResponse r;
        r.status = a.status;
        r.headers = a.headers;
        r.body = a.body;
        const Error e = OracleClient::errorFrom(r, QStringLiteral("Fuzzing"));
        if (!e.message.startsWith(QStringLiteral("Fuzzing: Oracle answered HTTP")))
            Fuzz::fail("errorFrom lost what was attempted");
        const auto j = jsonObjectOf(r, QStringLiteral("Fuzzing"), QStringLiteral("Oracle"));
        if (!j.ok() && j.error().kind != Error::Kind::BadResponse)
            Fuzz::fail("jsonObjectOf failed with the wrong kind");
        (void)r.header("ETag");
        break;
    }
    }
    return 0;
}
