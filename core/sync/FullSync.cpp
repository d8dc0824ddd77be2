#include "FullSync.h"

#include "Logging.h"
#include "oracle/OracleClient.h"
#include "storage/CursorStore.h"
#include "sync/MappingFields.h"
#include "sync/OutboxStore.h"
#include "sync/SyncEngine.h"
#include "zoho/ZohoClient.h"

#include <QJsonDocument>

namespace Core {

FullSync::FullSync(Deps deps, MappingSet mapping, int mappingVersion, QStringList modules, QObject* parent)
    : QObject(parent)
    , m_deps(deps)
    , m_mapping(std::move(mapping))
    , m_mappingVersion(mappingVersion)
    , m_modules(std::move(modules))
{ }

void FullSync::start(bool full, const QString& source)
{
    m_full = full;
    m_source = source;
    m_queued = 0;
    m_snapshot.clear();
    if (full)
        prefetchOracle(0);
    else
        listModule(0);
}

void FullSync::prefetchOracle(int offset)
{
    m_deps.oracle->listOurAccounts(offset, 499, this, [this, offset](Result<QPair<QList<QJsonObject>, bool>> page) {
        if (!page) {
            emit finished(page.error());
            return;
        }
        for (const QJsonObject& item : page.value().first) {
            const QString reference = item.value(QStringLiteral("SourceSystemReferenceValue")).toString();
            // The lowest PartyNumber wins when duplicates exist, the same choice every time.
            if (!reference.isEmpty() && !m_snapshot.contains(reference))
                m_snapshot.insert(reference, item.value(QStringLiteral("PartyNumber")).toString());
        }
        if (page.value().second && !page.value().first.isEmpty()) {
            // Oracle may return fewer rows than asked: advance by what came back.
            prefetchOracle(offset + page.value().first.size());
            return;
        }
        qCInfo(lcSync) << "Oracle already holds" << m_snapshot.size() << "accounts from this source system";
        m_deps.engine->setOracleSnapshot(m_snapshot);
        listModule(0);
    });
}

void FullSync::listModule(int index)
{
    if (index >= m_modules.size()) {
        emit finished(m_queued);
        return;
    }
    const QString module = m_modules.at(index);
    QDateTime since;
    if (!m_full) {
        const auto cursor = m_deps.cursors->get(cursorName(module));
        if (cursor && cursor.value())
            since = QDateTime::fromString(*cursor.value(), Qt::ISODate).addSecs(-kOverlapS);
    }
    m_deps.zoho->listChanged(
        module, zohoFieldsFor(m_mapping, module), since, this,
        [this, module](const QList<QJsonObject>& records) {
            QList<OutboxItem> items;
            items.reserve(records.size());
            for (const QJsonObject& record : records) {
                OutboxItem item;
                item.module = module;
                item.recordId = record.value(QStringLiteral("id")).toString();
                const QString modified = record.value(QStringLiteral("Modified_Time")).toString();
                item.dedupeKey = QStringLiteral("zoho:%1:%2:%3").arg(module, item.recordId, modified);
                item.kind = QStringLiteral("zoho_change");
                item.source = m_source;
                item.mappingVersion = m_mappingVersion;
                item.payload = QString::fromUtf8(
                    QJsonDocument(QJsonObject{{QStringLiteral("record"), record}}).toJson(QJsonDocument::Compact));
                items << item;
            }
            auto outcome = m_deps.outbox->enqueueMany(items);
            if (!outcome) {
                qCWarning(lcSync).noquote() << outcome.error().message;
                return;
            }
            int added = 0;
            for (const auto& o : outcome.value())
                added += o.duplicate ? 0 : 1;
            m_queued += added;
            emit queued(added);
            m_deps.engine->wake();
        },
        [this, module, index](Result<ZohoListSummary> summary) {
            if (!summary) {
                emit finished(summary.error());
                return;
            }
            if (summary.value().maxModifiedTime.isValid())
                warnIfFailed(
                    lcSync(),
                    m_deps.cursors->set(cursorName(module), summary.value().maxModifiedTime.toString(Qt::ISODate)),
                    "storing the poll cursor");
            listModule(index + 1);
        });
}

} // namespace Core
