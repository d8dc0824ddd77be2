#include "ReverseFlow.h"

#include "Logging.h"
#include "audit/AuditLog.h"
#include "mapping/FieldMapper.h"
#include "oracle/OracleClient.h"
#include "storage/CursorStore.h"
#include "storage/EchoStore.h"
#include "storage/LinkStore.h"
#include "zoho/ZohoClient.h"

#include <QDateTime>
#include <QJsonDocument>

namespace Core {

namespace {
const QString kAccounts = QStringLiteral("Accounts");

QString cursorName(const QString& zohoId)
{
    return QStringLiteral("writeback:") + zohoId;
}
} // namespace

struct ReverseFlow::Run
{
    QList<RecordLink> links;
    int next = 0;
    QList<QJsonObject> updates; // Zoho Account updates to send
    QHash<QString, QByteArray> hashes;
    QHash<QString, QString> partyNumbers;
    SyncCounts counts;
};

ReverseFlow::ReverseFlow(Deps deps, Fields fields, QObject* parent)
    : QObject(parent)
    , m_deps(deps)
    , m_fields(std::move(fields))
{ }

QString ReverseFlow::creditStatus(double openBalance, double amountDue)
{
    if (amountDue > 0.005)
        return QStringLiteral("Overdue");
    if (openBalance > 0.005)
        return QStringLiteral("Open");
    return QStringLiteral("Clear");
}

void ReverseFlow::run()
{
    if (m_running)
        return;
    auto links = m_deps.links->listByModule(kAccounts);
    if (!links) {
        emit finished(links.error());
        return;
    }
    m_running = true;
    auto r = std::make_shared<Run>();
    r->links = links.value();
    readNext(r);
}

void ReverseFlow::readNext(const std::shared_ptr<Run>& r)
{
    if (r->next >= r->links.size()) {
        writeBack(r);
        return;
    }
    const RecordLink link = r->links.at(r->next++);
    const auto handle = [this, r, link](Result<std::optional<QJsonObject>> activity) {
        if (!activity) {
            ++r->counts.failed;
            AuditEvent event;
            event.source = QStringLiteral("reverse");
            event.module = kAccounts;
            event.zohoId = link.zohoId;
            event.partyNumber = link.partyNumber;
            event.direction = QStringLiteral("to_zoho");
            event.action = QStringLiteral("fetch");
            event.outcome = QStringLiteral("failed");
            event.reason = activity.error().message;
            warnIfFailed(lcSync(), m_deps.audit->append(event), "writing the audit trail");
            readNext(r);
            return;
        }
        if (!activity.value()) {
            ++r->counts.skipped; // no customer account (yet): nothing billed
            readNext(r);
            return;
        }
        const QJsonObject& ar = *activity.value();
        const double open = ar.value(QStringLiteral("TotalOpenReceivablesForAccount")).toDouble();
        const double due = ar.value(QStringLiteral("TotalTransactionsDueForAccount")).toDouble();
        QJsonObject values;
        if (!m_fields.partyNumber.isEmpty())
            values.insert(m_fields.partyNumber, link.partyNumber);
        if (!m_fields.openBalance.isEmpty())
            values.insert(m_fields.openBalance, open);
        if (!m_fields.creditStatus.isEmpty())
            values.insert(m_fields.creditStatus, creditStatus(open, due));
        const QByteArray hash = FieldMapper::payloadHash(values);
        const auto previous = m_deps.cursors->get(cursorName(link.zohoId));
        if (previous && previous.value() && previous.value()->toLatin1() == hash) {
            ++r->counts.unchanged;
        } else {
            if (!m_fields.syncedAt.isEmpty())
                values.insert(m_fields.syncedAt, ZohoClient::formatTime(QDateTime::currentDateTimeUtc()));
            values.insert(QStringLiteral("id"), link.zohoId);
            r->updates << values;
            r->hashes.insert(link.zohoId, hash);
            r->partyNumbers.insert(link.zohoId, link.partyNumber);
        }
        readNext(r);
    };
    // The Sales account is a party; its billing account is found by account number or by party.
    if (!link.accountNumber.isEmpty())
        m_deps.oracle->receivablesActivity(link.accountNumber, this, handle);
    else if (!link.partyId.isEmpty())
        m_deps.oracle->receivablesActivityForParty(link.partyId, this, handle);
    else
        handle(std::optional<QJsonObject>());
}

void ReverseFlow::writeBack(const std::shared_ptr<Run>& r)
{
    if (r->updates.isEmpty()) {
        finish(r, r->counts);
        return;
    }
    const QList<QJsonObject> chunk = r->updates.mid(0, ZohoClient::kMaxIdsPerCall);
    r->updates = r->updates.mid(chunk.size());
    m_deps.zoho->updateRecords(kAccounts, chunk, this, [this, r, chunk](Result<QList<ZohoWriteResult>> results) {
        for (int i = 0; i < chunk.size(); ++i) {
            const QString id = chunk.at(i).value(QStringLiteral("id")).toString();
            AuditEvent event;
            event.source = QStringLiteral("reverse");
            event.module = kAccounts;
            event.zohoId = id;
            event.partyNumber = r->partyNumbers.value(id);
            event.direction = QStringLiteral("to_zoho");
            event.action = QStringLiteral("writeback");
            event.request = QString::fromUtf8(QJsonDocument(chunk.at(i)).toJson(QJsonDocument::Compact));
            const bool ok = results && i < results.value().size() && results.value().at(i).ok;
            if (ok) {
                const ZohoWriteResult& w = results.value().at(i);
                // Remember the change we caused, so its notification is not synced back to Oracle.
                const QString modified = w.modifiedTime.isValid() ? ZohoClient::formatTime(w.modifiedTime) : QString();
                if (!modified.isEmpty())
                    warnIfFailed(
                        lcSync(),
                        m_deps.echoes->remember(kAccounts, id, modified, chunk.at(i).keys().join(QLatin1Char(','))),
                        "remembering a write-back");
                warnIfFailed(lcSync(), m_deps.cursors->set(cursorName(id), QString::fromLatin1(r->hashes.value(id))),
                             "storing the write-back state");
                event.outcome = QStringLiteral("ok");
                ++r->counts.updated;
            } else {
                event.outcome = QStringLiteral("failed");
                event.reason = !results ? results.error().message
                                        : (i < results.value().size()
                                               ? QStringLiteral("%1: %2 (%3)")
                                                     .arg(results.value().at(i).code, results.value().at(i).message,
                                                          results.value().at(i).field)
                                               : tr("Zoho gave no result for this record"));
                ++r->counts.failed;
            }
            warnIfFailed(lcSync(), m_deps.audit->append(event), "writing the audit trail");
        }
        writeBack(r);
    });
}

void ReverseFlow::finish(const std::shared_ptr<Run>& r, const Result<SyncCounts>& result)
{
    Q_UNUSED(r)
    m_running = false;
    emit finished(result);
}

} // namespace Core
