#pragma once

#include <QObject>
#include <QPointer>
#include <QStringList>

class QNetworkAccessManager;

namespace Core {
class CredentialStore;
class ReplayPreview;
class SyncSession;
struct ReplayPlan;
} // namespace Core

namespace Gui {

class AuditBrowserWidget;

// Carries out the audit browser's replay requests on a sync session. A real replay queues the
// records and wakes the engine; a dry run first plays the replay on a copy of the database, shows
// what it would write, and replays for real only when the person says so.
class AuditReplay final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AuditReplay)

public:
    // None is owned; the session and the widget must outlive this object (make it the widget's child).
    AuditReplay(AuditBrowserWidget* browser,
                Core::SyncSession* session,
                QNetworkAccessManager* network,
                Core::CredentialStore* secrets);
    ~AuditReplay() override;

    // Empty `zohoIds`: every failed record.
    void replay(const QStringList& zohoIds, bool recordedMapping);
    void preview(const QStringList& zohoIds, bool recordedMapping);

signals:
    // A real replay was queued: `queued` records go through the engine now.
    void replayQueued(int queued);
    void previewReady(const QString& summary);

private:
    static QString describePlan(const Core::ReplayPlan& plan);

    AuditBrowserWidget* m_browser;
    Core::SyncSession* m_session;
    QNetworkAccessManager* m_network;
    Core::CredentialStore* m_secrets;
    QPointer<Core::ReplayPreview> m_preview;
};

} // namespace Gui
