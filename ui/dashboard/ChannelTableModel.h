#pragma once

#include "sync/ChannelManager.h"

#include <QAbstractTableModel>
#include <QDateTime>

namespace Gui {

// The notification channel of each module: state, time left until it expires, next renewal.
class ChannelTableModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChannelTableModel)

public:
    enum Column { ModuleColumn, StateColumn, ExpiresColumn, RenewalColumn, ColumnCount };

    explicit ChannelTableModel(QObject* parent = nullptr);

    // `now` is the time the countdowns count from.
    void setChannels(const QList<Core::ChannelStatus>& channels, const QDateTime& now);
    const QList<Core::ChannelStatus>& channels() const { return m_channels; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // "2 h 05 min", "4 min 10 s", "expired".
    static QString countdown(qint64 seconds);

private:
    QList<Core::ChannelStatus> m_channels;
    QDateTime m_now;
};

} // namespace Gui
