// Zoho CRM answers through the real ZohoClient → ApiClient → HttpClient stack, served by canned
// replies. Input: one letter choosing the call, then the answers in the order the calls go out,
// separated by "\n--next--\n"; each answer is "<status>\n[<Header: value>\n…\n]\n<body>".
#include "FuzzSupport.h"

#include "net/HttpTypes.h"
#include "zoho/ZohoClient.h"

#include <QJsonArray>

#include <cstdint>

using namespace Core;

namespace {

struct Harness
{
    Fuzz::CannedApi api;
    ZohoClient zoho{&api.api, QUrl(QStringLiteral("https://www.zohoapis.eu"))};
};

Harness* harness = nullptr;

// Each call's callbacks must run exactly once (listChanged: onDone once, after every page).
struct Answered
{
    int calls = 0;
    bool done() const { return calls > 0; }
    void hit()
    {
        if (++calls > 1)
            Fuzz::fail("a callback ran twice");
    }
};

template <typename T>
void run(const std::function<void(std::function<void(Result<T>)>)>& call)
{
    Answered answered;
    call([&answered](Result<T> r) {
        answered.hit();
        if (!r.ok() && r.error().message.isEmpty())
            Fuzz::fail("an error without a message");
    });
    Fuzz::runUntil([&answered] { return answered.done(); });
}

QStringList manyIds(int n)
{
    QStringList ids;
    for (int i = 0; i < n; ++i)
        ids << QString::number(4876876000000624001LL + i);
    return ids;
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
    ZohoClient& z = harness->zoho;
    QObject* ctx = &harness->api.context;
    const QStringList fields{QStringLiteral("Last_Name"), QStringLiteral("Email"), QStringLiteral("Modified_Time")};
    const QString module = QStringLiteral("Contacts");
    const QDateTime since = QDateTime::fromMSecsSinceEpoch(1718117126000, Qt::UTC);

    switch (choice) {
    case 0:
        run<std::optional<QJsonObject>>(
            [&](auto cb) { z.getRecord(module, QStringLiteral("4876876000000624001"), fields, ctx, cb); });
        break;
    case 1: // 150 ids: two calls, answered together
        run<QList<QJsonObject>>([&](auto cb) { z.getRecords(module, manyIds(150), fields, ctx, cb); });
        break;
    case 2: {
        Answered answered;
        int pages = 0;
        z.listChanged(
            module, fields, since, ctx, [&pages](const QList<QJsonObject>&) { ++pages; },
            [&answered, &pages](Result<ZohoListSummary> r) {
                answered.hit();
                if (r.ok() && r.value().pages != pages)
                    Fuzz::fail("listChanged counted pages it did not deliver");
            },
            200);
        Fuzz::runUntil([&answered] { return answered.done(); });
        break;
    }
    case 3:
        run<QList<QJsonObject>>([&](auto cb) { z.firstPage(module, fields, 10, ctx, cb); });
        break;
    case 4:
        run<QList<ZohoWriteResult>>([&](auto cb) {
            z.updateRecords(QStringLiteral("Accounts"),
                            {QJsonObject{{QStringLiteral("id"), QStringLiteral("4876876000000624001")}},
                             QJsonObject{{QStringLiteral("id"), QStringLiteral("4876876000000624002")}}},
                            ctx, cb);
        });
        break;
    case 5:
    case 6: {
        ZohoChannelSpec spec;
        spec.channelId = QStringLiteral("1000000068001");
        spec.events = QStringList{QStringLiteral("Contacts.all")};
        spec.notifyUrl = QUrl(QStringLiteral("https://hooks.example.com/zoho/notify"));
        spec.token = QStringLiteral("TOKEN_FOR_VERIFICATION_OF_1000000068001_x");
        spec.expiry = since.addDays(1);
        if (choice == 5)
            run<QList<ZohoChannelInfo>>([&](auto cb) { z.enableChannel(spec, ctx, cb); });
        else
            run<QList<ZohoChannelInfo>>(
                [&](auto cb) { z.renewChannel(spec, ZohoClient::RenewMethod::Patch, ctx, cb); });
        break;
    }
    case 7:
        run<QList<ZohoChannelInfo>>([&](auto cb) { z.channels(ctx, cb); });
        break;
    case 8:
        run<Ok>([&](auto cb) { z.disableChannels({QStringLiteral("1000000068001")}, ctx, cb); });
        break;
    default: { // the pure parts on the first answer
        const Fuzz::CannedAnswer a = Fuzz::CannedAnswer::parse(parts.value(0));
        HttpResponse r;
        r.status = a.status;
        r.headers = a.headers;
        r.body = a.body;
        const Error e = ZohoClient::errorFrom(r, QStringLiteral("Fuzzing"));
        if (!e.message.startsWith(QStringLiteral("Fuzzing: Zoho CRM answered HTTP")))
            Fuzz::fail("errorFrom lost what was attempted");
        const auto o = jsonObjectOf(r, QStringLiteral("Fuzzing"), QStringLiteral("Zoho"));
        if (!o.ok() && o.error().kind != Error::Kind::BadResponse)
            Fuzz::fail("jsonObjectOf failed with the wrong kind");
        (void)classifyStatus(r.status);
        (void)outcomeName(classifyStatus(r.status));
        (void)r.header("Retry-After");
        break;
    }
    }
    return 0;
}
