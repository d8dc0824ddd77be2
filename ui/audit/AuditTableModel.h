#pragma once

#include "audit/AuditEvent.h"
#include "audit/AuditLog.h"

#include <QAbstractTableModel>
#include <QIcon>
#include <QList>

namespace Core {
class ReadConnection;
}

namespace Gui {

// The audit trail as a table, newest first, read lazily through a ReadConnection.
//
// It never counts the log and never loads it whole: the first page (pageSize() events) is read when the
// model is created and whenever the filter changes; views ask for more through canFetchMore()/fetchMore(),
// each call reading one more page by keyset paging (beforeId = the last loaded event), so a page costs the
// same at row 200 and at row 900,000. refresh() prepends events newer than the first loaded one.
// Reads are synchronous on the calling thread (each is one indexed query, well under a millisecond for
// indexed filters); free-text filters scan and can be slower on a large log.
class AuditTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        TimeColumn,
        OutcomeColumn,
        ActionColumn,
        SourceColumn,
        ModuleColumn,
        ZohoIdColumn,
        PartyNumberColumn,
        ReasonColumn,
        ColumnCount
    };
    static constexpr int kDefaultPageSize = 200;

    // log and reader are not owned and must outlive the model; reader belongs to this thread.
    AuditTableModel(const Core::AuditLog& log, const Core::ReadConnection& reader, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

    // Paging fields of the filter (limit, offset, beforeId) are ignored; the model pages itself.
    void setFilter(const Core::AuditFilter& filter);
    Core::AuditFilter filter() const { return m_filter; }
    void setPageSize(int rows);
    int pageSize() const { return m_pageSize; }

    // The event shown in a row; a default event (id 0) for a row out of range.
    Core::AuditEvent eventAt(int row) const;
    // Reads events newer than the first loaded one and inserts them at the top. Returns how many.
    // When more than maxRefreshPages() pages arrived, the model is reset to the newest page instead.
    int refresh();
    static constexpr int maxRefreshPages() { return 10; }

    // The last read error, empty after a successful read.
    QString lastError() const { return m_lastError; }
    static bool isFailure(const Core::AuditEvent& event);

signals:
    void readFailed(const QString& message);

private:
    // One page after beforeId (none: the newest page).
    bool readPage(std::optional<qint64> beforeId, QList<Core::AuditEvent>* page);
    void loadFirstPage(); // inside a reset
    void setError(const QString& message);

    struct ChangeGuard
    {
        explicit ChangeGuard(bool& flag)
            : m_flag(flag)
        {
            m_flag = true;
        }
        ~ChangeGuard() { m_flag = false; }
        ChangeGuard(const ChangeGuard&) = delete;
        ChangeGuard& operator=(const ChangeGuard&) = delete;
        bool& m_flag;
    };

    const Core::AuditLog& m_log;
    const Core::ReadConnection& m_reader;
    Core::AuditFilter m_filter;
    QList<Core::AuditEvent> m_events;
    int m_pageSize = kDefaultPageSize;
    bool m_atEnd = false;
    bool m_changing = false; // inside a reset or an insert
    QString m_lastError;
    QIcon m_failedIcon;
    QIcon m_okIcon;
};

} // namespace Gui
