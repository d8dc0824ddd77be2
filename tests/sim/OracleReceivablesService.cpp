#include "OracleReceivablesService.h"

#include "OracleStore.h"
#include "SimContext.h"

#include <utility>

namespace Sim {

namespace {
const char kChild[] = "transactionPaymentSchedules";

bool wantsSchedules(const QStringList& expand)
{
    return expand.contains(QStringLiteral("all")) || expand.contains(QString::fromLatin1(kChild));
}
} // namespace

OracleReceivablesService::OracleReceivablesService(SimContext& ctx, OracleStore& store)
    : m_ctx(ctx)
    , m_store(store)
{ }

QString OracleReceivablesService::itemUrl(const QString& versionSegment, qint64 accountId) const
{
    return m_ctx.baseUrl + QStringLiteral("/fscmRestApi/resources/") + versionSegment +
           QStringLiteral("/receivablesCustomerAccountActivities/") + QString::number(accountId);
}

QJsonValue
OracleReceivablesService::schedulesValue(const OracleArActivity& ar, const QString& selfHref, int version) const
{
    const QJsonArray schedules = m_store.arSchedules(ar);
    if (version < 3)
        return schedules; // before framework version 3 an expanded child is a bare array
    return QJsonObject{{QStringLiteral("items"), schedules},
                       {QStringLiteral("count"), schedules.size()},
                       {QStringLiteral("hasMore"), false},
                       {QStringLiteral("limit"), 25},
                       {QStringLiteral("offset"), 0},
                       {QStringLiteral("links"),
                        QJsonArray{OracleFormat::link(
                            QStringLiteral("self"), selfHref + QStringLiteral("/child/") + QString::fromLatin1(kChild),
                            QString::fromLatin1(kChild), QStringLiteral("collection"))}}};
}

QJsonObject OracleReceivablesService::render(const OracleArActivity& ar,
                                             const QString& versionSegment,
                                             const OracleRenderOptions& options,
                                             const QStringList& expand) const
{
    const QString self = itemUrl(versionSegment, ar.accountId);
    const QString etag = OracleFormat::etagFor(ar.accountId, ar.objectVersion);
    const QJsonArray links{
        OracleFormat::link(QStringLiteral("self"), self, QStringLiteral("receivablesCustomerAccountActivities"),
                           QStringLiteral("item"), etag),
        OracleFormat::link(QStringLiteral("canonical"), itemUrl(QStringLiteral("11.13.18.05"), ar.accountId),
                           QStringLiteral("receivablesCustomerAccountActivities"), QStringLiteral("item"), etag),
        OracleFormat::link(QStringLiteral("child"), self + QStringLiteral("/child/") + QString::fromLatin1(kChild),
                           QString::fromLatin1(kChild), QStringLiteral("collection"))};
    QJsonObject out = OracleFormat::renderItem(m_store.arAttrs(ar, options.version), links,
                                               QString::number(ar.accountId), etag, options);
    if (wantsSchedules(expand))
        out.insert(QString::fromLatin1(kChild), schedulesValue(ar, self, options.version));
    return out;
}

OracleResult OracleReceivablesService::handle(const SimRequest& request,
                                              const QString& versionSegment,
                                              const QStringList& rest,
                                              int version)
{
    if (request.method != "GET") {
        OracleResult r = OracleResult::error(405, QStringLiteral("POST action not supported"));
        if (request.method != "POST")
            r = OracleResult::error(405,
                                    QStringLiteral("%1 action not supported").arg(QString::fromLatin1(request.method)));
        r.headers.append({QByteArrayLiteral("Allow"), QByteArrayLiteral("GET")});
        return r;
    }
    static const OracleFinders finders = {
        {QStringLiteral("CustomerAccountActivitiesFinder"),
         {{QStringLiteral("AccountNumber"), QStringLiteral("AccountNumber")},
          {QStringLiteral("CustomerName"), QStringLiteral("CustomerName")},
          {QStringLiteral("TaxRegistrationNumber"), QStringLiteral("TaxRegistrationNumber")},
          {QStringLiteral("TaxpayerIdentificationNumber"), QStringLiteral("TaxpayerIdentificationNumber")},
          {QStringLiteral("TransactionLimitByDays"), QString()},
          {QStringLiteral("TransactionStatus"), QString()}}},
        {QStringLiteral("PrimaryKey"), {{QStringLiteral("AccountId"), QStringLiteral("AccountId")}}},
    };
    const OracleAttrTypes& attrs = OracleStore::arAttrTypes();
    const QString collectionUrl = m_ctx.baseUrl + QStringLiteral("/fscmRestApi/resources/") + versionSegment +
                                  QStringLiteral("/receivablesCustomerAccountActivities");

    if (rest.isEmpty()) {
        OracleCollectionParams params;
        OracleResult error;
        if (!OracleFormat::parseCollectionParams(request, version, attrs, finders, m_ctx.config.oracleLimitCap, params,
                                                 error))
            return error;
        QList<OracleArActivity*> candidates;
        const QHash<QString, QString> eq = params.query.requiredEqualities();
        if (eq.contains(QStringLiteral("AccountNumber"))) {
            OracleArActivity* ar = m_store.arByNumber(eq.value(QStringLiteral("AccountNumber")));
            if (ar)
                candidates.append(ar);
        } else if (eq.contains(QStringLiteral("AccountId"))) {
            OracleArActivity* ar = m_store.arById(eq.value(QStringLiteral("AccountId")).trimmed().toLongLong());
            if (ar)
                candidates.append(ar);
        } else {
            candidates = m_store.arActivities();
        }
        QVector<QJsonObject> items;
        QHash<qint64, const OracleArActivity*> byId;
        for (const OracleArActivity* ar : std::as_const(candidates)) {
            items.append(m_store.arAttrs(*ar, 1)); // filter on numeric ids whatever the version
            byId.insert(ar->accountId, ar);
        }
        OracleResult r;
        r.contentType = "application/vnd.oracle.adf.resourcecollection+json";
        r.body = OracleFormat::collection(
            items, params, attrs, collectionUrl, QStringLiteral("receivablesCustomerAccountActivities"),
            [&](const QJsonObject& item) {
                const OracleArActivity* ar = byId.value(item.value(QStringLiteral("AccountId")).toInteger());
                return render(*ar, versionSegment, params.render, params.expand);
            });
        return r;
    }

    bool ok = false;
    const qint64 accountId = rest.at(0).toLongLong(&ok);
    OracleArActivity* ar = ok ? m_store.arById(accountId) : nullptr;
    if (!ar)
        return OracleResult::error(404, QStringLiteral("The requested resource receivablesCustomerAccountActivities/%1 "
                                                       "doesn't exist.")
                                            .arg(rest.at(0)));
    if (rest.size() == 1) {
        OracleRenderOptions options;
        OracleResult error;
        if (!OracleFormat::parseItemParams(request, version, attrs, options, error))
            return error;
        const QString etag = OracleFormat::etagFor(ar->accountId, ar->objectVersion);
        OracleResult r;
        r.headers.append({"ETag", etag.toLatin1()});
        if (OracleFormat::etagMatches(request.header("if-none-match"), etag) && request.hasHeader("if-none-match")) {
            r.status = 304;
            return r;
        }
        QStringList expand = request.query(QStringLiteral("expand")).split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (QString& e : expand)
            e = e.trimmed();
        r.body = render(*ar, versionSegment, options, expand);
        return r;
    }
    if (rest.size() == 3 && rest.at(1) == QLatin1String("child") && rest.at(2) == QLatin1String(kChild)) {
        static const OracleFinders scheduleFinders = {
            {QStringLiteral("TransactionPaymentSchedulesFinder"),
             {{QStringLiteral("InstallmentStatus"), QStringLiteral("InstallmentStatus")},
              {QStringLiteral("TransactionLimitByDays"), QString()}}},
        };
        OracleCollectionParams params;
        OracleResult error;
        const OracleAttrTypes& scheduleAttrs = OracleStore::scheduleAttrTypes();
        if (!OracleFormat::parseCollectionParams(request, version, scheduleAttrs, scheduleFinders,
                                                 m_ctx.config.oracleLimitCap, params, error))
            return error;
        QVector<QJsonObject> items;
        const QJsonArray schedules = m_store.arSchedules(*ar);
        for (const QJsonValue& v : schedules)
            items.append(v.toObject());
        OracleResult r;
        r.contentType = "application/vnd.oracle.adf.resourcecollection+json";
        r.body = OracleFormat::collection(items, params, scheduleAttrs,
                                          itemUrl(versionSegment, ar->accountId) + QStringLiteral("/child/") +
                                              QString::fromLatin1(kChild),
                                          QString::fromLatin1(kChild), [&](const QJsonObject& item) {
                                              QJsonObject out = item;
                                              if (params.render.hasFields) {
                                                  out = QJsonObject();
                                                  for (const QString& f : params.render.fields)
                                                      out.insert(f, item.value(f));
                                              }
                                              return out;
                                          });
        return r;
    }
    return OracleResult::error(404, QStringLiteral("The requested resource doesn't exist."));
}

} // namespace Sim
