#include "audit/AuditTableModel.h"

#include "storage/Database.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QGuiApplication>
#include <QPalette>

#include <algorithm>

namespace Gui {

namespace {

QString localTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms).toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

// The first line of a reason, for the table; the tooltip carries all of it.
QString firstLine(const QString& text)
{
    const qsizetype end = text.indexOf(QLatin1Char('\n'));
    return end < 0 ? text : text.left(end) + QStringLiteral(" …");
}

// (ts, id) order, newest first: is a newer than b?
bool newer(const Core::AuditEvent& a, const Core::AuditEvent& b)
{
    return a.tsMs > b.tsMs || (a.tsMs == b.tsMs && a.id > b.id);
}

} // namespace

AuditTableModel::AuditTableModel(const Core::AuditLog& log, const Core::ReadConnection& reader, QObject* parent)
    : QAbstractTableModel(parent)
    , m_log(log)
    , m_reader(reader)
    , m_failedIcon(QStringLiteral(":/icons/status-attention.svg"))
    , m_okIcon(QStringLiteral(":/icons/status-ok.svg"))
{
    loadFirstPage();
}

int AuditTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_events.size());
}

int AuditTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

bool AuditTableModel::isFailure(const Core::AuditEvent& event)
{
    return event.outcome == QLatin1String("failed") || event.outcome == QLatin1String("dead");
}

QVariant AuditTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Core::AuditEvent& e = m_events.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return localTime(e.tsMs);
        case OutcomeColumn:
            return e.outcome;
        case ActionColumn:
            return e.action;
        case SourceColumn:
            return e.source;
        case ModuleColumn:
            return e.module;
        case ZohoIdColumn:
            return e.zohoId;
        case PartyNumberColumn:
            return e.partyNumber;
        case ReasonColumn:
            return firstLine(e.reason);
        default:
            return {};
        }
    case Qt::ToolTipRole:
        if (index.column() == TimeColumn)
            return QDateTime::fromMSecsSinceEpoch(e.tsMs).toUTC().toString(Qt::ISODateWithMs);
        if (!e.reason.isEmpty())
            return e.reason;
        return {};
    case Qt::ForegroundRole:
        if (isFailure(e))
            return QBrush(QColor(0xb0, 0x1c, 0x1c));
        return {};
    case Qt::DecorationRole:
        if (index.column() != OutcomeColumn)
            return {};
        if (isFailure(e))
            return m_failedIcon;
        if (e.outcome == QLatin1String("ok"))
            return m_okIcon;
        return {};
    case Qt::AccessibleTextRole:
        if (index.column() == OutcomeColumn && isFailure(e))
            return tr("%1 (failure)").arg(e.outcome);
        return data(index, Qt::DisplayRole);
    default:
        return {};
    }
}

QVariant AuditTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case OutcomeColumn:
        return tr("Outcome");
    case ActionColumn:
        return tr("Action");
    case SourceColumn:
        return tr("Source");
    case ModuleColumn:
        return tr("Module");
    case ZohoIdColumn:
        return tr("Zoho id");
    case PartyNumberColumn:
        return tr("PartyNumber");
    case ReasonColumn:
        return tr("Reason");
    default:
        return {};
    }
}

bool AuditTableModel::canFetchMore(const QModelIndex& parent) const
{
    return !parent.isValid() && !m_atEnd && !m_changing;
}

void AuditTableModel::fetchMore(const QModelIndex& parent)
{
    // Views and testers may ask for more from inside our own change signals: not while one is in flight.
    if (parent.isValid() || m_atEnd || m_changing)
        return;
    QList<Core::AuditEvent> page;
    std::optional<qint64> anchor;
    if (!m_events.isEmpty())
        anchor = m_events.constLast().id;
    if (!readPage(anchor, &page)) {
        m_atEnd = true; // do not hammer a failing database from every scroll
        return;
    }
    m_atEnd = page.size() < m_pageSize;
    if (page.isEmpty())
        return;
    const int first = static_cast<int>(m_events.size());
    const ChangeGuard guard(m_changing);
    beginInsertRows(QModelIndex(), first, first + static_cast<int>(page.size()) - 1);
    m_events.append(page);
    endInsertRows();
}

void AuditTableModel::setFilter(const Core::AuditFilter& filter)
{
    const ChangeGuard guard(m_changing);
    beginResetModel();
    m_filter = filter;
    m_filter.limit = m_pageSize;
    m_filter.offset = 0;
    m_filter.beforeId.reset();
    loadFirstPage();
    endResetModel();
}

void AuditTableModel::setPageSize(int rows)
{
    m_pageSize = qMax(1, rows);
    m_filter.limit = m_pageSize;
}

Core::AuditEvent AuditTableModel::eventAt(int row) const
{
    if (row < 0 || row >= m_events.size())
        return {};
    return m_events.at(row);
}

int AuditTableModel::refresh()
{
    if (m_changing)
        return 0;
    const ChangeGuard guard(m_changing);
    if (m_events.isEmpty()) {
        beginResetModel();
        loadFirstPage();
        endResetModel();
        return static_cast<int>(m_events.size());
    }
    const Core::AuditEvent top = m_events.constFirst();
    QList<Core::AuditEvent> fresh;
    std::optional<qint64> anchor;
    for (int pages = 0;; ++pages) {
        if (pages == maxRefreshPages()) {
            // Too much arrived: start over at the newest page rather than read it all.
            beginResetModel();
            loadFirstPage();
            endResetModel();
            return static_cast<int>(m_events.size());
        }
        QList<Core::AuditEvent> page;
        if (!readPage(anchor, &page))
            return 0;
        bool reachedTop = false;
        for (const Core::AuditEvent& e : std::as_const(page)) {
            if (!newer(e, top)) {
                reachedTop = true;
                break;
            }
            fresh << e;
        }
        if (reachedTop || page.size() < m_pageSize)
            break;
        anchor = page.constLast().id;
    }
    if (fresh.isEmpty())
        return 0;
    beginInsertRows(QModelIndex(), 0, static_cast<int>(fresh.size()) - 1);
    m_events = fresh + m_events;
    endInsertRows();
    return static_cast<int>(fresh.size());
}

bool AuditTableModel::readPage(std::optional<qint64> beforeId, QList<Core::AuditEvent>* page)
{
    Core::AuditFilter f = m_filter;
    f.limit = m_pageSize;
    f.offset = 0;
    f.beforeId = beforeId;
    auto found = m_log.query(f, &m_reader);
    if (!found) {
        setError(found.error().message);
        return false;
    }
    m_lastError.clear();
    *page = std::move(found.value());
    return true;
}

void AuditTableModel::loadFirstPage()
{
    m_events.clear();
    m_atEnd = false;
    QList<Core::AuditEvent> page;
    if (!readPage(std::nullopt, &page)) {
        m_atEnd = true;
        return;
    }
    m_events = std::move(page);
    m_atEnd = m_events.size() < m_pageSize;
}

void AuditTableModel::setError(const QString& message)
{
    m_lastError = message;
    emit readFailed(message);
}

} // namespace Gui
