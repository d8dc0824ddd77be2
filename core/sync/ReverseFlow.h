#pragma once

#include "Result.h"
#include "sync/SyncTypes.h"

#include <QObject>
#include <QString>

#include <memory>

namespace Core {

class AuditLog;
class CursorStore;
class EchoStore;
class LinkStore;
class OracleClient;
class ZohoClient;

// Oracle to Zoho: billing identity, open AR balance and credit status go back onto the linked
// Zoho Accounts, so sales sees them. Each write-back is remembered (record id + the
// Modified_Time Zoho gives it), so the change event it causes is recognised as our own echo and
// never flows back to Oracle. Values unchanged since the last write-back are not written again.
class ReverseFlow final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReverseFlow)

public:
    struct Fields // Zoho Account fields to write; an empty name is not written
    {
        QString partyNumber = QStringLiteral("Oracle_Party_Number");
        QString openBalance = QStringLiteral("AR_Open_Balance");
        QString creditStatus = QStringLiteral("Credit_Status");
        QString syncedAt = QStringLiteral("Last_Synced_From_ERP");
    };
    struct Deps
    {
        LinkStore* links = nullptr;
        EchoStore* echoes = nullptr;
        CursorStore* cursors = nullptr;
        AuditLog* audit = nullptr;
        ZohoClient* zoho = nullptr;
        OracleClient* oracle = nullptr;
    };

    ReverseFlow(Deps deps, Fields fields, QObject* parent = nullptr);

    void run();
    bool isRunning() const { return m_running; }

    // Clear when nothing is open, Open when a balance is open but nothing is due, Overdue when
    // an amount is due. Oracle's REST API has no credit hold, so this is derived from AR.
    static QString creditStatus(double openBalance, double amountDue);

signals:
    void finished(const Core::Result<Core::SyncCounts>& counts);

private:
    struct Run;
    void readNext(const std::shared_ptr<Run>& run);
    void writeBack(const std::shared_ptr<Run>& run);
    void finish(const std::shared_ptr<Run>& run, const Result<SyncCounts>& result);

    Deps m_deps;
    Fields m_fields;
    bool m_running = false;
};

} // namespace Core
