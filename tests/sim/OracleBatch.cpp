#include "OracleBatch.h"

#include "JsonUtil.h"
#include "OracleAccountsService.h"
#include "OracleStore.h"
#include "SimContext.h"

namespace Sim {

OracleBatch::OracleBatch(SimContext& ctx, OracleStore& store, OracleAccountsService& accounts)
    : m_ctx(ctx)
    , m_store(store)
    , m_accounts(accounts)
{ }

OracleResult
OracleBatch::runPart(const QJsonObject& part, const QString& versionSegment, int version, const QString& principal)
{
    QString path = part.value(QStringLiteral("path")).toString();
    const QString operation = part.value(QStringLiteral("operation")).toString();
    QByteArray query;
    const int q = path.indexOf(QLatin1Char('?'));
    if (q >= 0) {
        query = path.mid(q + 1).toUtf8();
        path = path.left(q);
    }
    // Accept "/accounts/X", "accounts/X" or a full resource path / URL.
    const int at = path.indexOf(QStringLiteral("accounts"));
    if (at < 0 || (at > 0 && path.at(at - 1) != QLatin1Char('/')))
        return OracleResult::error(400, QStringLiteral("The path %1 of the batch part isn't valid.").arg(path));
    const QStringList rest = path.mid(at + 8).split(QLatin1Char('/'), Qt::SkipEmptyParts);
    if (rest.size() > 1)
        return OracleResult::error(400, QStringLiteral("The path %1 of the batch part isn't valid.").arg(path));
    const QString partyNumber = rest.value(0);

    SimRequest sub;
    sub.method = "GET";
    sub.rawQuery = query;
    sub.queryItems = SimRequest::parseForm(query);
    OracleRenderOptions options;
    OracleResult error;
    if (!OracleFormat::parseItemParams(sub, version, OracleStore::accountAttrTypes(), options, error))
        return error;
    const QJsonObject payload = part.value(QStringLiteral("payload")).toObject();
    const QByteArray ifMatch = part.value(QStringLiteral("ifMatch")).toString().toLatin1();
    const QByteArray ifNoneMatch = part.value(QStringLiteral("ifNoneMatch")).toString().toLatin1();

    if (operation == QLatin1String("get"))
        return partyNumber.isEmpty() ? m_accounts.query(sub, versionSegment, version)
                                     : m_accounts.get(partyNumber, ifNoneMatch, versionSegment, options);
    if (operation == QLatin1String("create") || operation == QLatin1String("upsert")) {
        if (!partyNumber.isEmpty())
            return OracleResult::error(400,
                                       QStringLiteral("The operation %1 needs the collection path.").arg(operation));
        return m_accounts.create(payload, operation == QLatin1String("upsert"), versionSegment, options, principal);
    }
    if (partyNumber.isEmpty())
        return OracleResult::error(400, QStringLiteral("The operation %1 needs an item path.").arg(operation));
    if (operation == QLatin1String("update") || operation == QLatin1String("replace"))
        return m_accounts.update(partyNumber, payload, ifMatch, operation == QLatin1String("replace"), versionSegment,
                                 options, principal);
    if (operation == QLatin1String("delete"))
        return m_accounts.remove(partyNumber, ifMatch);
    return OracleResult::error(400, QStringLiteral("The operation %1 isn't valid in a batch.").arg(operation));
}

OracleResult
OracleBatch::handle(const SimRequest& request, const QString& versionSegment, int version, const QString& principal)
{
    if (request.method != "POST")
        return OracleResult::error(405, QStringLiteral("Invalid operation for the specified resource."));
    if (!request.header("content-type").toLower().contains("batch+json"))
        return OracleResult::error(
            415, QStringLiteral("A batch request needs Content-Type application/vnd.oracle.adf.batch+json."));
    const auto body = parseJsonObject(request.body);
    if (!body || !body->value(QStringLiteral("parts")).isArray())
        return OracleResult::error(400, QStringLiteral("The batch request body needs a parts array."));
    const QJsonArray parts = body->value(QStringLiteral("parts")).toArray();
    m_ctx.stats.count(QStringLiteral("oracle_batch_parts"), parts.size());

    const OracleData snapshot = m_store.snapshot();
    QJsonArray results;
    for (const QJsonValue& v : parts) {
        const QJsonObject part = v.toObject();
        const OracleResult r = runPart(part, versionSegment, version, principal);
        QJsonObject out{{QStringLiteral("id"), part.value(QStringLiteral("id"))},
                        {QStringLiteral("path"), part.value(QStringLiteral("path"))},
                        {QStringLiteral("operation"), part.value(QStringLiteral("operation"))}};
        if (r.isError()) {
            m_store.restore(snapshot); // all or none
            out.insert(QStringLiteral("payload"), OracleFormat::errorJson(r));
            OracleResult failed;
            failed.status = 400;
            failed.contentType = "application/vnd.oracle.adf.batch+json";
            failed.body = QJsonObject{{QStringLiteral("parts"), QJsonArray{out}}};
            m_ctx.stats.count(QStringLiteral("oracle_batches_rolled_back"));
            return failed;
        }
        if (r.body.isObject())
            out.insert(QStringLiteral("payload"), r.body);
        if (!part.value(QStringLiteral("ifMatch")).isUndefined() ||
            !part.value(QStringLiteral("ifNoneMatch")).isUndefined())
            out.insert(QStringLiteral("preconditionSucceeded"), r.status != 304);
        results.append(out);
    }
    OracleResult ok;
    ok.contentType = "application/vnd.oracle.adf.batch+json";
    ok.body = QJsonObject{{QStringLiteral("parts"), results}};
    return ok;
}

} // namespace Sim
