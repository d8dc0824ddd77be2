#pragma once

#include "audit/AuditStats.h"
#include "sync/ChannelManager.h"
#include "sync/OutboxStore.h"
#include "zoho/ZohoCreditMeter.h"

#include <QWidget>

class QBarCategoryAxis;
class QBarSeries;
class QBarSet;
class QChart;
class QChartView;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableView;
class QValueAxis;

namespace Gui {

class ChannelTableModel;
class ConnectionCard;

// The dashboard page: both connections, the notification channels, the queue, the last and next
// sync, today's counts, a chart of synced and failed records over time, the Zoho credits used,
// and the controls (Sync now, Pause/Resume, Cancel, schedule). A view only: it shows what it is
// given and says what the user asked for; DashboardController does the work.
class DashboardWidget final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DashboardWidget)

public:
    enum class ChartRange { Last24Hours, Last14Days };

    explicit DashboardWidget(QWidget* parent = nullptr);

    ConnectionCard* zohoCard() const { return m_zohoCard; }
    ConnectionCard* oracleCard() const { return m_oracleCard; }
    ChannelTableModel* channelModel() const { return m_channelModel; }
    ChartRange chartRange() const;

    void setChannels(const QList<Core::ChannelStatus>& channels, const QDateTime& now);
    void setQueue(const Core::OutboxCounts& counts);
    void setLastSync(const QDateTime& when);                         // invalid: never
    void setNextSync(const QDateTime& when, const QString& whyNone); // invalid: whyNone is shown
    void setTodayCounts(const Core::SyncTally& today);
    void setChart(const QList<Core::SyncBucket>& buckets, ChartRange range);
    void setCredits(const Core::CreditUsage& usage);
    void setCreditsUnavailable(const QString& why);
    void setSchedule(int intervalMin, const QString& window);
    void setSyncEnabled(bool enabled);
    void setPaused(bool paused);
    void setRunning(bool running);
    // total 0: not known yet (busy indicator); otherwise determinate.
    void setProgress(int done, int total);
    void setStatusText(const QString& text);

    bool isPaused() const;
    bool isRunning() const { return m_running; }

public slots:
    // The window's Sync now action (F5) comes here, so there is one way in.
    void requestSyncNow();

signals:
    void syncNowRequested();
    void pauseToggled(bool paused);
    void cancelRequested();
    void scheduleChanged(int intervalMin, const QString& window);
    void chartRangeChanged(Gui::DashboardWidget::ChartRange range);

private:
    QWidget* buildSyncBox();
    QWidget* buildScheduleBox();
    QWidget* buildCreditsBox();
    QWidget* buildChartBox();
    QWidget* buildChannelBox();
    void commitSchedule();
    void updateSyncButton();

    ConnectionCard* m_zohoCard;
    ConnectionCard* m_oracleCard;
    ChannelTableModel* m_channelModel;
    QTableView* m_channelView = nullptr;
    QLabel* m_queue = nullptr;
    QLabel* m_lastSync = nullptr;
    QLabel* m_nextSync = nullptr;
    QLabel* m_created = nullptr;
    QLabel* m_updated = nullptr;
    QLabel* m_unchanged = nullptr;
    QLabel* m_failed = nullptr;
    QLabel* m_status = nullptr;
    QPushButton* m_syncNow = nullptr;
    QPushButton* m_pause = nullptr;
    QPushButton* m_cancel = nullptr;
    QProgressBar* m_progress = nullptr;
    QSpinBox* m_interval = nullptr;
    QLineEdit* m_window = nullptr;
    QLabel* m_scheduleError = nullptr;
    QProgressBar* m_credits = nullptr;
    QLabel* m_creditsText = nullptr;
    QComboBox* m_range = nullptr;
    QChartView* m_chartView = nullptr;
    QChart* m_chart = nullptr;
    QBarSeries* m_series = nullptr;
    QBarSet* m_synced = nullptr;
    QBarSet* m_failures = nullptr;
    QBarCategoryAxis* m_axisX = nullptr;
    QValueAxis* m_axisY = nullptr;
    bool m_syncEnabled = false;
    bool m_running = false;
};

} // namespace Gui

Q_DECLARE_METATYPE(Gui::DashboardWidget::ChartRange)
