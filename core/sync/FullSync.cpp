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
{
    if (m_deps.engine)
        connect(m_deps.engine, &SyncEngine::recordFinished, this,
                [this](const QString& module, const QString& zohoId) { onRecordFinished(module, zohoId); });
}

void FullSync::start(bool full, const QString& source)
{
    if (m_running) {
        qCInfo(lcSync) << "a sync run is already going; not starting another";
        return;
    }
    m_full = full;
    m_source = source;
    m_queued = 0;
    m_snapshot.clear();
    m_open.clear();
    m_total = 0;
    m_done = 0;
    m_running = true;
    m_listing = true;
    if (m_run) // the last run ended: nothing of it is in flight, but it may be on the stack
        m_run->deleteLater();
    m_run = new QObject(this);
    emit progress(0, 0);
    if (full)
        prefetchOracle(0);
    else
        listModule(0);
}

void FullSync::prefetchOracle(int offset)
{
    m_deps.oracle->listOurAccounts(offset, 499, m_run, [this, offset](Result<QPair<QList<QJsonObject>, bool>> page) {
        if (!page) {
            endRun(false);
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
        listingEnded();
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
        module, zohoFieldsFor(m_mapping, module), since, m_run,
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
            for (int i = 0; i < items.size(); ++i) {
                const EnqueueOutcome& o = outcome.value().at(i);
                added += o.duplicate ? 0 : 1;
                // Rows already done (or failed for good) are not part of this run; waiting ones are.
                const bool waiting = o.state == OutboxItem::State::Pending || o.state == OutboxItem::State::Running;
                const QString k = key(module, items.at(i).recordId);
                if (waiting && !m_open.contains(k)) {
                    m_open.insert(k);
                    ++m_total;
                }
            }
            m_queued += added;
            emit queued(added);
            m_deps.engine->wake();
        },
        [this, module, index](Result<ZohoListSummary> summary) {
            if (!summary) {
                endRun(false);
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

void FullSync::listingEnded()
{
    m_listing = false;
    emit finished(m_queued);
    emit progress(m_done, m_total);
    if (m_open.isEmpty())
        endRun(false);
}

void FullSync::onRecordFinished(const QString& module, const QString& zohoId)
{
    if (!m_running || !m_open.remove(key(module, zohoId)))
        return;
    ++m_done;
    emit progress(m_done, m_listing ? 0 : m_total);
    if (!m_listing && m_open.isEmpty())
        endRun(false);
}

void FullSync::cancel()
{
    if (!m_running)
        return;
    // Answers still on their way belong to the dropped run: with their context gone they are never
    // delivered, so no page is queued and no cursor moves after this point.
    delete m_run;
    m_run = nullptr;
    m_listing = false;
    if (m_deps.engine)
        m_deps.engine->pause(); // the round in flight finishes; nothing is interrupted
    qCInfo(lcSync) << "sync run cancelled after" << m_done << "of" << m_total << "records;" << m_open.size()
                   << "stay queued";
    endRun(true);
}

void FullSync::endRun(bool cancelled)
{
    if (!m_running)
        return;
    m_running = false;
    m_listing = false;
    m_open.clear();
    emit runFinished(m_done, m_total, cancelled);
}

} // namespace Core
