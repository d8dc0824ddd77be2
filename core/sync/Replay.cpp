#include "Replay.h"

#include "storage/LinkStore.h"
#include "sync/OutboxStore.h"

#include <QDateTime>
#include <QObject>

namespace Core {

Result<int> queueReplay(OutboxStore& outbox, LinkStore& links, const QStringList& modules, const QStringList& zohoIds)
{
    QList<OutboxItem> stuck;
    for (auto state : {OutboxItem::State::Failed, OutboxItem::State::Dead}) {
        auto listed = outbox.listByState(state, 100000);
        if (!listed)
            return listed.error();
        stuck += listed.value();
    }
    QList<qint64> rows;
    QList<OutboxItem> fresh;
    for (const QString& id : zohoIds) {
        bool found = false;
        for (const OutboxItem& item : std::as_const(stuck)) {
            if (item.recordId == id) {
                rows << item.id;
                found = true;
            }
        }
        if (found)
            continue;
        QString module;
        for (const QString& candidate : modules) {
            auto link = links.find(candidate, id);
            if (link && link.value())
                module = candidate;
        }
        if (module.isEmpty())
            return Error(Error::Kind::InvalidInput,
                         QObject::tr("No failed sync and no link for Zoho record %1: nothing to replay").arg(id));
        OutboxItem item;
        item.module = module;
        item.recordId = id;
        item.kind = QStringLiteral("replay");
        item.source = QStringLiteral("replay");
        item.dedupeKey = QStringLiteral("replay:%1:%2:%3").arg(module, id).arg(QDateTime::currentMSecsSinceEpoch());
        item.payload = QStringLiteral("{}");
        item.lastError = QStringLiteral("replay"); // marks it for a fresh read
        fresh << item;
    }
    auto queued = outbox.enqueueMany(fresh);
    if (!queued)
        return queued.error();
    auto requeued = outbox.requeue(rows);
    if (!requeued)
        return requeued.error();
    return requeued.value() + int(fresh.size());
}

} // namespace Core
