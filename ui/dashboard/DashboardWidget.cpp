#include "DashboardWidget.h"

#include "ChannelTableModel.h"
#include "ConnectionCard.h"
#include "sync/SyncSchedule.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>
#include <QValueAxis>

namespace Gui {

namespace {

QLabel* valueLabel(const QString& objectName, const QString& accessibleName)
{
    auto* label = new QLabel(QStringLiteral("–"));
    label->setObjectName(objectName);
    label->setAccessibleName(accessibleName);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

QString whenText(const QDateTime& when)
{
    const QDateTime local = when.toLocalTime();
    const QLocale locale;
    if (local.date() == QDate::currentDate())
        return locale.toString(local.time(), QLocale::ShortFormat);
    return locale.toString(local, QLocale::ShortFormat);
}

} // namespace

DashboardWidget::DashboardWidget(QWidget* parent)
    : QWidget(parent)
    , m_zohoCard(new ConnectionCard(tr("Zoho CRM"), QStringLiteral(":/icons/zoho.svg")))
    , m_oracleCard(new ConnectionCard(tr("Oracle Fusion Cloud ERP"), QStringLiteral(":/icons/oracle.svg")))
    , m_channelModel(new ChannelTableModel(this))
{
    qRegisterMetaType<Gui::DashboardWidget::ChartRange>();
    setObjectName(QStringLiteral("dashboard"));
    m_zohoCard->setObjectName(QStringLiteral("zohoCard"));
    m_oracleCard->setObjectName(QStringLiteral("oracleCard"));

    auto* flow = new QLabel(tr("Zoho CRM contacts and accounts become Oracle Fusion accounts; billing, AR balance and "
                               "credit status flow back to Zoho."));
    flow->setWordWrap(true);
    auto* cards = new QHBoxLayout;
    cards->addWidget(m_zohoCard, 1);
    cards->addWidget(m_oracleCard, 1);

    auto* grid = new QGridLayout;
    grid->addWidget(buildSyncBox(), 0, 0);
    grid->addWidget(buildChartBox(), 0, 1, 2, 1);
    grid->addWidget(buildScheduleBox(), 1, 0);
    grid->addWidget(buildCreditsBox(), 2, 0);
    grid->addWidget(buildChannelBox(), 2, 1);
    grid->setColumnStretch(1, 1);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(flow);
    layout->addLayout(cards);
    layout->addLayout(grid, 1);

    // Controls first, in reading order; the chart and the table after them.
    setTabOrder(m_syncNow, m_pause);
    setTabOrder(m_pause, m_cancel);
    setTabOrder(m_cancel, m_interval);
    setTabOrder(m_interval, m_window);
    setTabOrder(m_window, m_range);
    setTabOrder(m_range, m_channelView);

    setRunning(false);
    setSyncEnabled(false);
}

QWidget* DashboardWidget::buildSyncBox()
{
    auto* box = new QGroupBox(tr("Sync"));
    m_queue = valueLabel(QStringLiteral("queueLabel"), tr("Queue"));
    m_lastSync = valueLabel(QStringLiteral("lastSyncLabel"), tr("Last sync"));
    m_nextSync = valueLabel(QStringLiteral("nextSyncLabel"), tr("Next sync"));
    m_created = valueLabel(QStringLiteral("todayCreatedLabel"), tr("Records created today"));
    m_updated = valueLabel(QStringLiteral("todayUpdatedLabel"), tr("Records updated today"));
    m_unchanged = valueLabel(QStringLiteral("todayUnchangedLabel"), tr("Records unchanged today"));
    m_failed = valueLabel(QStringLiteral("todayFailedLabel"), tr("Failed attempts today"));

    auto* today = new QHBoxLayout;
    for (const auto& [label, caption] : {std::pair{m_created, tr("created")}, std::pair{m_updated, tr("updated")},
                                         std::pair{m_unchanged, tr("unchanged")}, std::pair{m_failed, tr("failed")}}) {
        today->addWidget(label);
        today->addWidget(new QLabel(caption));
        today->addSpacing(8);
    }
    today->addStretch(1);

    m_syncNow = new QPushButton(QIcon(QStringLiteral(":/icons/status-syncing.svg")), tr("&Sync now"));
    m_syncNow->setObjectName(QStringLiteral("syncNowButton"));
    m_syncNow->setAccessibleName(tr("Sync now"));
    m_syncNow->setToolTip(tr("List what changed in Zoho and sync it now (F5)"));
    connect(m_syncNow, &QPushButton::clicked, this, &DashboardWidget::syncNowRequested);

    m_pause = new QPushButton(tr("&Pause"));
    m_pause->setObjectName(QStringLiteral("pauseButton"));
    m_pause->setAccessibleName(tr("Pause or resume syncing"));
    m_pause->setCheckable(true);
    connect(m_pause, &QPushButton::toggled, this, [this](bool paused) {
        m_pause->setText(paused ? tr("&Resume") : tr("&Pause"));
        emit pauseToggled(paused);
    });

    m_progress = new QProgressBar;
    m_progress->setObjectName(QStringLiteral("syncProgress"));
    m_progress->setAccessibleName(tr("Sync progress"));
    m_progress->setFormat(tr("%v of %m records"));
    m_cancel = new QPushButton(tr("&Cancel"));
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    m_cancel->setAccessibleName(tr("Cancel the sync run"));
    m_cancel->setToolTip(tr("Stop this run after the records in flight; queued records stay queued"));
    connect(m_cancel, &QPushButton::clicked, this, &DashboardWidget::cancelRequested);

    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("syncSummaryLabel"));
    m_status->setAccessibleName(tr("Sync status"));
    m_status->setWordWrap(true);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_syncNow);
    buttons->addWidget(m_pause);
    buttons->addStretch(1);
    auto* run = new QHBoxLayout;
    run->addWidget(m_progress, 1);
    run->addWidget(m_cancel);

    auto* form = new QFormLayout;
    form->addRow(tr("Queue:"), m_queue);
    form->addRow(tr("Last sync:"), m_lastSync);
    form->addRow(tr("Next sync:"), m_nextSync);
    form->addRow(tr("Today:"), today);
    auto* layout = new QVBoxLayout(box);
    layout->addLayout(buttons);
    layout->addLayout(run);
    layout->addLayout(form);
    layout->addWidget(m_status);
    return box;
}

QWidget* DashboardWidget::buildScheduleBox()
{
    auto* box = new QGroupBox(tr("Schedule"));
    m_interval = new QSpinBox;
    m_interval->setObjectName(QStringLiteral("intervalSpin"));
    m_interval->setAccessibleName(tr("Minutes between scheduled syncs"));
    m_interval->setRange(0, Core::SyncSchedule::kMaxIntervalMin);
    m_interval->setSpecialValueText(tr("Off"));
    m_interval->setSuffix(tr(" min"));
    m_interval->setKeyboardTracking(false); // one change per edit, not per digit typed
    connect(m_interval, &QSpinBox::valueChanged, this, [this] { commitSchedule(); });

    m_window = new QLineEdit;
    m_window->setObjectName(QStringLiteral("windowEdit"));
    m_window->setAccessibleName(tr("Business hours for scheduled syncs"));
    m_window->setPlaceholderText(tr("any time, or e.g. Mon-Fri 08:00-18:00"));
    m_window->setClearButtonEnabled(true);
    connect(m_window, &QLineEdit::editingFinished, this, [this] { commitSchedule(); });
    connect(m_window, &QLineEdit::textEdited, this, [this](const QString& text) {
        auto parsed = Core::BusinessWindow::parse(text);
        m_scheduleError->setText(parsed ? QString() : parsed.error().message);
    });

    m_scheduleError = new QLabel;
    m_scheduleError->setObjectName(QStringLiteral("scheduleErrorLabel"));
    m_scheduleError->setAccessibleName(tr("Schedule error"));
    m_scheduleError->setWordWrap(true);
    m_scheduleError->setStyleSheet(QStringLiteral("color: palette(link-visited);"));

    auto* form = new QFormLayout(box);
    form->addRow(tr("&Every:"), m_interval);
    form->addRow(tr("&Within:"), m_window);
    form->addRow(m_scheduleError);
    return box;
}

QWidget* DashboardWidget::buildCreditsBox()
{
    auto* box = new QGroupBox(tr("Zoho API credits (rolling 24 h)"));
    m_credits = new QProgressBar;
    m_credits->setObjectName(QStringLiteral("creditsBar"));
    m_credits->setAccessibleName(tr("Zoho API credits used of the daily budget"));
    m_credits->setFormat(tr("%v / %m"));
    m_credits->setRange(0, 1);
    m_credits->setValue(0);
    m_creditsText = new QLabel;
    m_creditsText->setObjectName(QStringLiteral("creditsLabel"));
    m_creditsText->setAccessibleName(tr("Zoho API credits"));
    m_creditsText->setWordWrap(true);
    auto* layout = new QVBoxLayout(box);
    layout->addWidget(m_credits);
    layout->addWidget(m_creditsText);
    layout->addStretch(1);
    return box;
}

QWidget* DashboardWidget::buildChartBox()
{
    auto* box = new QGroupBox(tr("Synced and failed records"));
    m_range = new QComboBox;
    m_range->setObjectName(QStringLiteral("chartRangeCombo"));
    m_range->setAccessibleName(tr("Chart period"));
    m_range->addItem(tr("Last 24 hours, by hour"));
    m_range->addItem(tr("Last 14 days, by day"));
    connect(m_range, &QComboBox::currentIndexChanged, this, [this] { emit chartRangeChanged(chartRange()); });

    m_synced = new QBarSet(tr("Synced"));
    m_failures = new QBarSet(tr("Failed"));
    m_synced->setColor(QColor(0x2e, 0x7d, 0x32));
    m_failures->setColor(QColor(0xc6, 0x28, 0x28));
    m_series = new QBarSeries;
    m_series->append(m_synced);
    m_series->append(m_failures);
    m_chart = new QChart;
    m_chart->addSeries(m_series);
    m_axisX = new QBarCategoryAxis;
    m_axisY = new QValueAxis;
    m_axisY->setLabelFormat(QStringLiteral("%d"));
    // Upright, 24 hour labels do not fit side by side and Qt Charts elides them all to "...".
    m_axisX->setLabelsAngle(-90);
    m_axisY->setRange(0, 1);
    m_chart->addAxis(m_axisX, Qt::AlignBottom);
    m_chart->addAxis(m_axisY, Qt::AlignLeft);
    m_series->attachAxis(m_axisX);
    m_series->attachAxis(m_axisY);
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->setMargins(QMargins(2, 2, 2, 2));
    m_chartView = new QChartView(m_chart);
    m_chartView->setObjectName(QStringLiteral("syncChart"));
    m_chartView->setAccessibleName(tr("Chart of synced and failed records"));
    m_chartView->setRenderHint(QPainter::Antialiasing);
    m_chartView->setMinimumHeight(220);

    auto* layout = new QVBoxLayout(box);
    layout->addWidget(m_range, 0, Qt::AlignRight);
    layout->addWidget(m_chartView, 1);
    return box;
}

QWidget* DashboardWidget::buildChannelBox()
{
    auto* box = new QGroupBox(tr("Zoho notification channels"));
    m_channelView = new QTableView;
    m_channelView->setObjectName(QStringLiteral("channelTable"));
    m_channelView->setAccessibleName(tr("Notification channels per module"));
    m_channelView->setModel(m_channelModel);
    m_channelView->verticalHeader()->hide();
    m_channelView->horizontalHeader()->setStretchLastSection(true);
    m_channelView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_channelView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_channelView->setMinimumHeight(90);
    auto* layout = new QVBoxLayout(box);
    layout->addWidget(m_channelView);
    return box;
}

DashboardWidget::ChartRange DashboardWidget::chartRange() const
{
    return m_range->currentIndex() == 1 ? ChartRange::Last14Days : ChartRange::Last24Hours;
}

void DashboardWidget::setChannels(const QList<Core::ChannelStatus>& channels, const QDateTime& now)
{
    m_channelModel->setChannels(channels, now);
}

void DashboardWidget::setQueue(const Core::OutboxCounts& counts)
{
    m_queue->setText(tr("%1 waiting, %2 failed, %3 dead-lettered")
                         .arg(counts.pending + counts.running)
                         .arg(counts.failed)
                         .arg(counts.dead));
}

void DashboardWidget::setLastSync(const QDateTime& when)
{
    m_lastSync->setText(when.isValid() ? whenText(when) : tr("never"));
}

void DashboardWidget::setNextSync(const QDateTime& when, const QString& whyNone)
{
    m_nextSync->setText(when.isValid() ? whenText(when) : whyNone);
}

void DashboardWidget::setTodayCounts(const Core::SyncTally& today)
{
    const QLocale locale;
    m_created->setText(locale.toString(today.created));
    m_updated->setText(locale.toString(today.updated));
    m_unchanged->setText(locale.toString(today.unchanged));
    m_failed->setText(locale.toString(today.failed));
}

void DashboardWidget::setChart(const QList<Core::SyncBucket>& buckets, ChartRange range)
{
    QStringList categories;
    QList<qreal> synced;
    QList<qreal> failed;
    qint64 highest = 0;
    for (const Core::SyncBucket& b : buckets) {
        const QDateTime from = QDateTime::fromMSecsSinceEpoch(b.fromMs).toLocalTime();
        categories << (range == ChartRange::Last24Hours ? from.toString(QStringLiteral("HH:00"))
                                                        : QLocale().toString(from.date(), QStringLiteral("d MMM")));
        synced << qreal(b.tally.synced());
        failed << qreal(b.tally.failed);
        highest = qMax(highest, qMax(b.tally.synced(), b.tally.failed));
    }
    // Replace the values in place: the series and its axes stay attached.
    m_synced->remove(0, m_synced->count());
    m_failures->remove(0, m_failures->count());
    m_synced->append(synced);
    m_failures->append(failed);
    m_axisX->setCategories(categories);
    m_axisY->setRange(0, qreal(qMax<qint64>(1, highest)));
    m_axisY->applyNiceNumbers();
}

void DashboardWidget::setCredits(const Core::CreditUsage& usage)
{
    const QLocale locale;
    const int budget = int(qBound(qint64(1), usage.budget, qint64(INT_MAX)));
    m_credits->setRange(0, budget);
    m_credits->setValue(int(qBound(qint64(0), usage.used, qint64(budget))));
    QString text =
        tr("%1 of %2 credits used (%3 by this connector)")
            .arg(locale.toString(usage.used), locale.toString(usage.budget), locale.toString(usage.ourCalls));
    if (usage.reportedRemaining)
        text += tr("; Zoho reports about %1 left").arg(locale.toString(*usage.reportedRemaining));
    m_creditsText->setText(text);
}

void DashboardWidget::setCreditsUnavailable(const QString& why)
{
    m_credits->setRange(0, 1);
    m_credits->setValue(0);
    m_creditsText->setText(why);
}

void DashboardWidget::setSchedule(int intervalMin, const QString& window)
{
    const QSignalBlocker blockInterval(m_interval);
    const QSignalBlocker blockWindow(m_window);
    m_interval->setValue(intervalMin);
    m_window->setText(window);
    m_scheduleError->clear();
}

void DashboardWidget::commitSchedule()
{
    auto parsed = Core::BusinessWindow::parse(m_window->text());
    if (!parsed) {
        m_scheduleError->setText(parsed.error().message);
        return;
    }
    m_scheduleError->clear();
    emit scheduleChanged(m_interval->value(), m_window->text().trimmed());
}

void DashboardWidget::setSyncEnabled(bool enabled)
{
    m_syncEnabled = enabled;
    m_pause->setEnabled(enabled);
    updateSyncButton();
}

void DashboardWidget::setPaused(bool paused)
{
    const QSignalBlocker block(m_pause);
    m_pause->setChecked(paused);
    m_pause->setText(paused ? tr("&Resume") : tr("&Pause"));
}

bool DashboardWidget::isPaused() const
{
    return m_pause->isChecked();
}

void DashboardWidget::setRunning(bool running)
{
    m_running = running;
    m_progress->setVisible(running);
    m_cancel->setVisible(running);
    if (!running)
        m_progress->reset();
    updateSyncButton();
}

void DashboardWidget::setProgress(int done, int total)
{
    if (total <= 0) {
        m_progress->setRange(0, 0); // busy: the run's size is not known yet
        return;
    }
    m_progress->setRange(0, total);
    m_progress->setValue(qBound(0, done, total));
}

void DashboardWidget::setStatusText(const QString& text)
{
    m_status->setText(text);
}

void DashboardWidget::requestSyncNow()
{
    if (m_syncNow->isEnabled())
        emit syncNowRequested();
}

void DashboardWidget::updateSyncButton()
{
    m_syncNow->setEnabled(m_syncEnabled && !m_running);
}

} // namespace Gui
