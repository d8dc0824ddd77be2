#include "SoakCheck.h"

#include "audit/AuditLog.h"
#include "mapping/FieldMapper.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QMultiHash>
#include <QSet>

namespace Soak {

namespace {
constexpr int kMaxSamples = 20;

QString text(const QJsonValue& v)
{
    if (v.isString())
        return v.toString();
    if (v.isUndefined() || v.isNull())
        return QStringLiteral("(none)");
    return QString::fromUtf8(QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact));
}

bool isEmpty(const QJsonValue& v)
{
    return v.isUndefined() || v.isNull() || (v.isString() && v.toString().isEmpty());
}

void note(CheckCounts& c, const QString& what)
{
    if (c.samples.size() < kMaxSamples)
        c.samples << what;
}

// The record's last outcome toward Oracle must be the mapper's refusal: a failed invalid_data event
// newer than any successful write.
bool reportedAsFailed(Core::AuditLog& audit, const QString& zohoId)
{
    Core::AuditFilter filter;
    filter.zohoId = zohoId;
    filter.limit = 0;
    const auto events = audit.query(filter);
    if (!events)
        return false;
    qint64 lastFailed = 0;
    qint64 lastWrite = 0;
    for (const Core::AuditEvent& e : events.value()) {
        if (e.direction != QLatin1String("to_oracle"))
            continue;
        if (e.outcome == QLatin1String("failed") && e.reasonClass == QLatin1String("invalid_data"))
            lastFailed = qMax(lastFailed, e.id);
        const bool write = e.action == QLatin1String("create") || e.action == QLatin1String("update") ||
                           e.action == QLatin1String("unchanged");
        if (e.outcome == QLatin1String("ok") && write)
            lastWrite = qMax(lastWrite, e.id);
    }
    return lastFailed > lastWrite;
}
} // namespace

Verifier::Verifier(Core::MappingSet mapping, QString sourceSystem)
    : m_mapping(std::move(mapping))
    , m_sourceSystem(std::move(sourceSystem))
{ }

CheckCounts
Verifier::check(const QHash<QString, QJsonArray>& zoho, const QJsonArray& oracle, Core::AuditLog& audit) const
{
    CheckCounts c;
    QMultiHash<QString, QJsonObject> ours;
    for (const auto& v : oracle) {
        const QJsonObject item = v.toObject();
        if (item.value(QStringLiteral("SourceSystem")).toString() == m_sourceSystem)
            ours.insert(item.value(QStringLiteral("SourceSystemReferenceValue")).toString(), item);
    }

    const Core::FieldMapper mapper;
    QSet<QString> zohoIds;
    for (auto it = zoho.cbegin(); it != zoho.cend(); ++it) {
        const QString& module = it.key();
        QStringList written; // every Oracle field the module's rules may write
        for (const Core::FieldRule& rule : m_mapping.rules(module))
            written << rule.writes();
        for (const auto& v : it.value()) {
            const QJsonObject record = v.toObject();
            const QString id = record.value(QStringLiteral("id")).toString();
            zohoIds.insert(id);
            ++c.zohoRecords;
            const QList<QJsonObject> accounts = ours.values(id);
            if (accounts.size() > 1) {
                c.duplicated += int(accounts.size()) - 1;
                QStringList copies;
                for (const QJsonObject& a : accounts)
                    copies << QStringLiteral("%1 created %2")
                                  .arg(a.value(QStringLiteral("PartyNumber")).toString(),
                                       a.value(QStringLiteral("CreationDate")).toString());
                note(c, QStringLiteral("%1 %2 is in Oracle %3 times (%4)")
                            .arg(module, id)
                            .arg(accounts.size())
                            .arg(copies.join(QStringLiteral(", "))));
            }
            const Core::MappingResult mapped = mapper.map(m_mapping, module, record);
            if (!mapped.ok()) {
                ++c.rejected;
                if (!reportedAsFailed(audit, id)) {
                    ++c.rejectedUnreported;
                    note(c, QStringLiteral("%1 %2 is rejected by the mapper but not failed in the audit trail")
                                .arg(module, id));
                }
                continue;
            }
            ++c.checked;
            if (accounts.isEmpty()) {
                ++c.missing;
                note(c, QStringLiteral("%1 %2 is missing from Oracle").arg(module, id));
                continue;
            }
            bool wrong = false;
            for (const QJsonObject& account : accounts) {
                for (auto f = mapped.payload.constBegin(); f != mapped.payload.constEnd(); ++f) {
                    if (account.value(f.key()) == f.value())
                        continue;
                    ++c.wrongFields;
                    wrong = true;
                    note(c, QStringLiteral("%1 %2 %3: Oracle has %4, the last version maps to %5")
                                .arg(module, id, f.key(), text(account.value(f.key())), text(f.value())));
                }
                for (const QString& field : std::as_const(written)) {
                    if (mapped.payload.contains(field) || isEmpty(account.value(field)))
                        continue;
                    ++c.wrongFields;
                    wrong = true;
                    note(c, QStringLiteral("%1 %2 %3: Oracle has %4, the last version maps to nothing")
                                .arg(module, id, field, text(account.value(field))));
                }
            }
            c.recordsWrong += wrong ? 1 : 0;
        }
    }
    for (auto it = ours.cbegin(); it != ours.cend(); ++it) {
        if (!zohoIds.contains(it.key())) {
            ++c.orphans;
            note(c, QStringLiteral("Oracle account %1 refers to Zoho record \"%2\", which does not exist")
                        .arg(it.value().value(QStringLiteral("PartyNumber")).toString(), it.key()));
        }
    }
    return c;
}

} // namespace Soak
