#pragma once

#include "audit/AuditEvent.h"
#include "audit/AuditLog.h"
#include "common/Dialogs.h"

#include <QStringList>
#include <QWidget>

#include <functional>
#include <memory>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class QTextBrowser;
class QTimer;

namespace Core {
class ReadConnection;
}

namespace Gui {

class AuditTableModel;

// Browses the audit trail: a filter bar, the events newest first, and the selected event in detail
// (its record's whole timeline, the redacted request and response, reason and mapping version).
// Replays are only asked for through signals; the app wires them to the engine.
class AuditBrowserWidget : public QWidget
{
    Q_OBJECT

public:
    enum class TimeRange { LastHour, LastDay, LastWeek, All };
    enum class Status { All, Ok, Failed };

    static constexpr int kDebounceMs = 250;

    // log and reader are not owned and must outlive the widget; reader belongs to this thread.
    AuditBrowserWidget(const Core::AuditLog& log, const Core::ReadConnection& reader, QWidget* parent = nullptr);
    ~AuditBrowserWidget() override;

    AuditTableModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }
    // Where the export file name and the replay confirmation come from (tests script them).
    void setDialogs(std::shared_ptr<Dialogs> dialogs);
    // The modules offered in the module filter (besides "All modules").
    void setModules(const QStringList& modules);

    // The filter the bar describes right now (time ranges end now).
    Core::AuditFilter currentFilter() const;
    // The ids of the selected rows' records, in row order, each once.
    QStringList selectedZohoIds() const;
    // One line under the table: how an export or a replay went.
    void setStatusText(const QString& text);
    Dialogs* dialogs() const { return m_dialogs.get(); }

public slots:
    // Applies the filter bar at once (typing applies it after kDebounceMs).
    void applyFilter();
    // Prepends events that arrived since the last read.
    void refresh();
    // Asks for a file and writes every event of the current filter to it: JSON Lines when the name
    // ends in .jsonl, CSV otherwise.
    void exportEvents();

signals:
    void replayRequested(const QStringList& zohoIds, bool dryRun, bool recordedMapping);
    void replayAllFailedRequested(bool dryRun, bool recordedMapping);
    // After an export: the file and the rows written, or an error message.
    void exported(const QString& path, qint64 rows);
    void exportFailed(const QString& message);

private:
    void askReplayAllFailed();
    void buildUi();
    void scheduleFilter();
    void showDetail();
    void updateButtons();
    void updateStatus();
    QString detailHtml(const Core::AuditEvent& event) const;

    const Core::AuditLog& m_log;
    const Core::ReadConnection& m_reader;
    AuditTableModel* m_model = nullptr;
    std::shared_ptr<Dialogs> m_dialogs;

    QComboBox* m_timeRange = nullptr;
    QComboBox* m_status = nullptr;
    QComboBox* m_module = nullptr;
    QComboBox* m_source = nullptr;
    QLineEdit* m_zohoId = nullptr;
    QLineEdit* m_partyNumber = nullptr;
    QLineEdit* m_text = nullptr;
    QTableView* m_table = nullptr;
    QTextBrowser* m_detail = nullptr;
    QCheckBox* m_dryRun = nullptr;
    QComboBox* m_mapping = nullptr;
    QPushButton* m_replaySelected = nullptr;
    QPushButton* m_replayAllFailed = nullptr;
    QPushButton* m_refresh = nullptr;
    QPushButton* m_export = nullptr;
    QLabel* m_statusLabel = nullptr;
    QTimer* m_debounce = nullptr;
};

} // namespace Gui
