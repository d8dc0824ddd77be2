#include "ChannelTableModel.h"

namespace Gui {

ChannelTableModel::ChannelTableModel(QObject* parent)
    : QAbstractTableModel(parent)
{ }

void ChannelTableModel::setChannels(const QList<Core::ChannelStatus>& channels, const QDateTime& now)
{
    bool sameRows = channels.size() == m_channels.size();
    for (int i = 0; sameRows && i < channels.size(); ++i)
        sameRows = channels.at(i).module == m_channels.at(i).module;
    m_now = now;
    if (!sameRows) {
        beginResetModel();
        m_channels = channels;
        endResetModel();
        return;
    }
    // The countdowns tick every refresh: change the cells, keep the selection and the scroll position.
    m_channels = channels;
    if (!m_channels.isEmpty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

int ChannelTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_channels.size());
}

int ChannelTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString ChannelTableModel::countdown(qint64 seconds)
{
    if (seconds <= 0)
        return tr("expired");
    const qint64 days = seconds / 86400;
    const qint64 hours = seconds % 86400 / 3600;
    const qint64 minutes = seconds % 3600 / 60;
    if (days > 0)
        return tr("%1 d %2 h").arg(days).arg(hours);
    if (hours > 0)
        return tr("%1 h %2 min").arg(hours).arg(minutes, 2, 10, QLatin1Char('0'));
    if (minutes > 0)
        return tr("%1 min %2 s").arg(minutes).arg(seconds % 60, 2, 10, QLatin1Char('0'));
    return tr("%1 s").arg(seconds);
}

QVariant ChannelTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Core::ChannelStatus& c = m_channels.at(index.row());
    if (role == Qt::ToolTipRole) {
        QString tip = c.channelId.isEmpty() ? QString() : tr("Channel %1").arg(c.channelId);
        if (!c.lastError.isEmpty())
            tip += (tip.isEmpty() ? QString() : QStringLiteral("\n")) + tr("Last error: %1").arg(c.lastError);
        return tip.isEmpty() ? QVariant() : QVariant(tip);
    }
    if (role == Qt::UserRole) { // raw values, for sorting and tests
        switch (index.column()) {
        case ModuleColumn:
            return c.module;
        case StateColumn:
            return int(c.state);
        case ExpiresColumn:
            return c.expiry;
        case RenewalColumn:
            return c.nextAction;
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case ModuleColumn:
        return c.module;
    case StateColumn:
        return Core::ChannelStatus::stateName(c.state);
    case ExpiresColumn:
        return c.expiry.isValid() ? countdown(m_now.secsTo(c.expiry)) : QStringLiteral("–");
    case RenewalColumn:
        if (!c.nextAction.isValid())
            return QStringLiteral("–");
        return tr("%1 (in %2)")
            .arg(c.nextAction.toLocalTime().toString(QStringLiteral("HH:mm")),
                 countdown(qMax<qint64>(1, m_now.secsTo(c.nextAction))));
    default:
        return {};
    }
}

QVariant ChannelTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case ModuleColumn:
        return tr("Module");
    case StateColumn:
        return tr("State");
    case ExpiresColumn:
        return tr("Expires in");
    case RenewalColumn:
        return tr("Next renewal");
    default:
        return {};
    }
}

} // namespace Gui
