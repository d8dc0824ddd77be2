#include "audit/AuditBrowserWidget.h"

#include "audit/AuditTableModel.h"
#include "storage/Database.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonDocument>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSaveFile>
#include <QShortcut>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QTimer>
#include <QVBoxLayout>

#include <set>

namespace Gui {

namespace {

constexpr qint64 kHourMs = 3600LL * 1000;
const char* const kNameFilter = "CSV (*.csv);;JSON Lines (*.jsonl)";

QString esc(const QString& text)
{
    return text.toHtmlEscaped();
}

// Indented JSON when the text parses as an object or array; the text itself otherwise.
QString prettyJson(const QString& text)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || doc.isNull())
        return text;
    return QString::fromUtf8(doc.toJson(QJsonDocument::Indented)).trimmed();
}

QString localTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms).toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
}

template <typename T>
QString optionalText(const std::optional<T>& value)
{
    return value ? QString::number(*value) : QStringLiteral("—");
}

void name(QWidget* widget, const QString& objectName, const QString& accessibleName)
{
    widget->setObjectName(objectName);
    widget->setAccessibleName(accessibleName);
}

} // namespace

AuditBrowserWidget::AuditBrowserWidget(const Core::AuditLog& log, const Core::ReadConnection& reader, QWidget* parent)
    : QWidget(parent)
    , m_log(log)
    , m_reader(reader)
    , m_dialogs(std::make_shared<QtDialogs>())
{
    setObjectName(QStringLiteral("auditBrowser"));
    setAccessibleName(tr("Audit browser"));
    m_model = new AuditTableModel(log, reader, this);
    m_debounce = new QTimer(this);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(kDebounceMs);
    connect(m_debounce, &QTimer::timeout, this, &AuditBrowserWidget::applyFilter);
    buildUi();
    connect(m_model, &AuditTableModel::readFailed, this, &AuditBrowserWidget::updateStatus);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &AuditBrowserWidget::updateStatus);
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        updateStatus();
        showDetail();
        updateButtons();
    });
    updateStatus();
    updateButtons();
}

AuditBrowserWidget::~AuditBrowserWidget() = default;

void AuditBrowserWidget::buildUi()
{
    // Filter bar.
    m_timeRange = new QComboBox(this);
    name(m_timeRange, QStringLiteral("timeRangeFilter"), tr("Time range"));
    m_timeRange->addItem(tr("Last hour"), static_cast<int>(TimeRange::LastHour));
    m_timeRange->addItem(tr("Last day"), static_cast<int>(TimeRange::LastDay));
    m_timeRange->addItem(tr("Last week"), static_cast<int>(TimeRange::LastWeek));
    m_timeRange->addItem(tr("All time"), static_cast<int>(TimeRange::All));
    m_timeRange->setCurrentIndex(3);

    m_status = new QComboBox(this);
    name(m_status, QStringLiteral("statusFilter"), tr("Status"));
    m_status->addItem(tr("All outcomes"), static_cast<int>(Status::All));
    m_status->addItem(tr("OK"), static_cast<int>(Status::Ok));
    m_status->addItem(tr("Failed"), static_cast<int>(Status::Failed));

    m_module = new QComboBox(this);
    name(m_module, QStringLiteral("moduleFilter"), tr("Module"));
    m_source = new QComboBox(this);
    name(m_source, QStringLiteral("sourceFilter"), tr("Event source"));
    m_source->addItem(tr("All sources"), QString());
    for (const char* source : {"webhook", "poll", "replay", "manual", "reverse"})
        m_source->addItem(QString::fromLatin1(source), QString::fromLatin1(source));
    setModules({QStringLiteral("Accounts"), QStringLiteral("Contacts")});

    m_zohoId = new QLineEdit(this);
    name(m_zohoId, QStringLiteral("zohoIdFilter"), tr("Zoho id"));
    m_zohoId->setPlaceholderText(tr("Zoho id"));
    m_zohoId->setClearButtonEnabled(true);
    m_partyNumber = new QLineEdit(this);
    name(m_partyNumber, QStringLiteral("partyNumberFilter"), tr("PartyNumber"));
    m_partyNumber->setPlaceholderText(tr("PartyNumber"));
    m_partyNumber->setClearButtonEnabled(true);
    m_text = new QLineEdit(this);
    name(m_text, QStringLiteral("textFilter"), tr("Search text"));
    m_text->setPlaceholderText(tr("Search reason, Zoho id, PartyNumber (Ctrl+F)"));
    m_text->setClearButtonEnabled(true);

    auto* filterBar = new QHBoxLayout;
    const auto labelled = [&](const QString& text, QWidget* buddy) {
        auto* label = new QLabel(text, this);
        label->setBuddy(buddy);
        filterBar->addWidget(label);
        filterBar->addWidget(buddy);
    };
    labelled(tr("&Time:"), m_timeRange);
    labelled(tr("St&atus:"), m_status);
    labelled(tr("&Module:"), m_module);
    labelled(tr("S&ource:"), m_source);
    labelled(tr("&Zoho id:"), m_zohoId);
    labelled(tr("&PartyNumber:"), m_partyNumber);
    labelled(tr("Sear&ch:"), m_text);
    filterBar->setStretchFactor(m_text, 2);

    // The table and the detail pane.
    m_table = new QTableView(this);
    name(m_table, QStringLiteral("auditTable"), tr("Audit events, newest first"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setSortingEnabled(false); // the log's order: newest first
    m_table->setWordWrap(false);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->horizontalHeader()->setSortIndicatorShown(true);
    m_table->horizontalHeader()->setSortIndicator(AuditTableModel::TimeColumn, Qt::DescendingOrder);
    m_table->horizontalHeader()->setSectionsClickable(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(AuditTableModel::TimeColumn, 150);

    m_detail = new QTextBrowser(this);
    name(m_detail, QStringLiteral("detailPane"), tr("Selected event details"));
    m_detail->setOpenLinks(false);
    m_detail->setPlaceholderText(tr("Select an event to see its record's timeline, request and response."));

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->setObjectName(QStringLiteral("auditSplitter"));
    splitter->addWidget(m_table);
    splitter->addWidget(m_detail);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);

    // Options and actions.
    m_dryRun = new QCheckBox(tr("&Dry run"), this);
    name(m_dryRun, QStringLiteral("dryRunCheck"), tr("Dry run"));
    m_dryRun->setToolTip(tr("Replay without writing to Oracle or Zoho"));
    m_mapping = new QComboBox(this);
    name(m_mapping, QStringLiteral("mappingVersionCombo"), tr("Mapping for replay"));
    m_mapping->addItem(tr("Current mapping"), false);
    m_mapping->addItem(tr("Recorded mapping"), true);
    m_replaySelected = new QPushButton(tr("&Replay selected"), this);
    name(m_replaySelected, QStringLiteral("replaySelectedButton"), tr("Replay selected"));
    m_replayAllFailed = new QPushButton(tr("Replay all &failed"), this);
    name(m_replayAllFailed, QStringLiteral("replayAllFailedButton"), tr("Replay all failed"));
    m_refresh = new QPushButton(tr("Refres&h"), this);
    name(m_refresh, QStringLiteral("refreshButton"), tr("Refresh"));
    m_refresh->setToolTip(tr("Show events that arrived since (F5)"));
    m_export = new QPushButton(tr("&Export…"), this);
    name(m_export, QStringLiteral("exportButton"), tr("Export"));
    m_export->setToolTip(tr("Write every event of the current filter to a CSV or JSON Lines file"));
    m_statusLabel = new QLabel(this);
    name(m_statusLabel, QStringLiteral("auditStatusLabel"), tr("Audit status"));

    auto* actions = new QHBoxLayout;
    actions->addWidget(m_dryRun);
    actions->addWidget(m_mapping);
    actions->addWidget(m_replaySelected);
    actions->addWidget(m_replayAllFailed);
    actions->addStretch(1);
    actions->addWidget(m_statusLabel);
    actions->addWidget(m_refresh);
    actions->addWidget(m_export);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(filterBar);
    layout->addWidget(splitter, 1);
    layout->addLayout(actions);

    setTabOrder(m_timeRange, m_status);
    setTabOrder(m_status, m_module);
    setTabOrder(m_module, m_source);
    setTabOrder(m_source, m_zohoId);
    setTabOrder(m_zohoId, m_partyNumber);
    setTabOrder(m_partyNumber, m_text);
    setTabOrder(m_text, m_table);
    setTabOrder(m_table, m_detail);
    setTabOrder(m_detail, m_dryRun);
    setTabOrder(m_dryRun, m_mapping);
    setTabOrder(m_mapping, m_replaySelected);
    setTabOrder(m_replaySelected, m_replayAllFailed);
    setTabOrder(m_replayAllFailed, m_refresh);
    setTabOrder(m_refresh, m_export);

    auto* find = new QShortcut(QKeySequence::Find, this);
    connect(find, &QShortcut::activated, this, [this] {
        m_text->setFocus(Qt::ShortcutFocusReason);
        m_text->selectAll();
    });
    auto* reload = new QShortcut(QKeySequence::Refresh, this);
    connect(reload, &QShortcut::activated, this, &AuditBrowserWidget::refresh);

    // Wiring.
    for (QComboBox* combo : {m_timeRange, m_status, m_module, m_source})
        connect(combo, &QComboBox::currentIndexChanged, this, &AuditBrowserWidget::applyFilter);
    for (QLineEdit* edit : {m_zohoId, m_partyNumber, m_text}) {
        connect(edit, &QLineEdit::textChanged, this, &AuditBrowserWidget::scheduleFilter);
        connect(edit, &QLineEdit::returnPressed, this, &AuditBrowserWidget::applyFilter);
    }
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &AuditBrowserWidget::updateButtons);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &AuditBrowserWidget::showDetail);
    connect(m_replaySelected, &QPushButton::clicked, this, [this] {
        const QStringList ids = selectedZohoIds();
        if (!ids.isEmpty())
            emit replayRequested(ids, m_dryRun->isChecked(), m_mapping->currentData().toBool());
    });
    connect(m_replayAllFailed, &QPushButton::clicked, this, &AuditBrowserWidget::askReplayAllFailed);
    connect(m_refresh, &QPushButton::clicked, this, &AuditBrowserWidget::refresh);
    connect(m_export, &QPushButton::clicked, this, &AuditBrowserWidget::exportEvents);
}

void AuditBrowserWidget::setDialogs(std::shared_ptr<Dialogs> dialogs)
{
    m_dialogs = std::move(dialogs);
}

void AuditBrowserWidget::setStatusText(const QString& text)
{
    m_statusLabel->setText(text);
}

void AuditBrowserWidget::askReplayAllFailed()
{
    const bool dryRun = m_dryRun->isChecked();
    const bool recorded = m_mapping->currentData().toBool();
    if (dryRun) {
        emit replayAllFailedRequested(true, recorded); // changes nothing, so nothing to confirm
        return;
    }
    QPointer<AuditBrowserWidget> self(this);
    m_dialogs->confirm(this,
                       {tr("Replay failed records"),
                        recorded ? tr("Send every failed record to Oracle again, each with the mapping it failed with?")
                                 : tr("Send every failed record to Oracle again, with the current mapping?"),
                        tr("Each record is read from Zoho again first; every attempt goes into the audit trail."),
                        tr("Replay all failed")},
                       [self, recorded](bool yes) {
                           if (self && yes)
                               emit self->replayAllFailedRequested(false, recorded);
                       });
}

void AuditBrowserWidget::setModules(const QStringList& modules)
{
    const QString current = m_module->currentData().toString();
    const QSignalBlocker block(m_module);
    m_module->clear();
    m_module->addItem(tr("All modules"), QString());
    for (const QString& module : modules)
        m_module->addItem(module, module);
    m_module->setCurrentIndex(qMax(0, m_module->findData(current)));
}

Core::AuditFilter AuditBrowserWidget::currentFilter() const
{
    Core::AuditFilter f;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    switch (static_cast<TimeRange>(m_timeRange->currentData().toInt())) {
    case TimeRange::LastHour:
        f.fromMs = now - kHourMs;
        break;
    case TimeRange::LastDay:
        f.fromMs = now - 24 * kHourMs;
        break;
    case TimeRange::LastWeek:
        f.fromMs = now - 7 * 24 * kHourMs;
        break;
    case TimeRange::All:
        break;
    }
    switch (static_cast<Status>(m_status->currentData().toInt())) {
    case Status::All:
        break;
    case Status::Ok:
        f.outcomes = {QStringLiteral("ok")};
        break;
    case Status::Failed:
        f.outcomes = {QStringLiteral("failed"), QStringLiteral("dead")};
        break;
    }
    f.module = m_module->currentData().toString();
    f.source = m_source->currentData().toString();
    f.zohoId = m_zohoId->text().trimmed();
    f.partyNumber = m_partyNumber->text().trimmed();
    f.text = m_text->text().trimmed();
    return f;
}

QStringList AuditBrowserWidget::selectedZohoIds() const
{
    QModelIndexList rows = m_table->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(), [](const QModelIndex& a, const QModelIndex& b) { return a.row() < b.row(); });
    QStringList ids;
    std::set<QString> seen;
    for (const QModelIndex& index : std::as_const(rows)) {
        const QString id = m_model->eventAt(index.row()).zohoId;
        if (!id.isEmpty() && seen.insert(id).second)
            ids << id;
    }
    return ids;
}

void AuditBrowserWidget::scheduleFilter()
{
    m_debounce->start();
}

void AuditBrowserWidget::applyFilter()
{
    m_debounce->stop();
    m_model->setFilter(currentFilter());
}

void AuditBrowserWidget::refresh()
{
    m_model->refresh();
    updateStatus();
}

void AuditBrowserWidget::exportEvents()
{
    if (m_debounce->isActive())
        applyFilter(); // export what the bar says, even mid-typing
    const Core::AuditFilter filter = m_model->filter();
    const QString nameFilter = QString::fromLatin1(kNameFilter);

    const auto write = [this, filter](const QString& path) {
        if (path.isEmpty())
            return;
        const auto format = path.endsWith(QLatin1String(".jsonl"), Qt::CaseInsensitive) ? Core::AuditLog::Format::Jsonl
                                                                                        : Core::AuditLog::Format::Csv;
        QSaveFile file(path);
        QString error;
        qint64 rows = 0;
        if (!file.open(QIODevice::WriteOnly)) {
            error = tr("Cannot write %1: %2").arg(path, file.errorString());
        } else {
            const auto written = m_log.exportTo(file, format, filter, &m_reader);
            if (!written) {
                error = written.error().message;
                file.cancelWriting();
            } else if (!file.commit()) {
                error = tr("Cannot write %1: %2").arg(path, file.errorString());
            } else {
                rows = written.value();
            }
        }
        if (!error.isEmpty()) {
            m_statusLabel->setText(tr("Export failed: %1").arg(error));
            emit exportFailed(error);
            return;
        }
        m_statusLabel->setText(tr("Exported %n event(s) to %1", nullptr, static_cast<int>(rows)).arg(path));
        emit exported(path, rows);
    };

    QPointer<AuditBrowserWidget> self(this);
    m_dialogs->chooseFile(this, {Dialogs::FileMode::Save, tr("Export audit events"), nameFilter, QStringLiteral("csv")},
                          [self, write](const QString& path) {
                              if (self)
                                  write(path);
                          });
}

void AuditBrowserWidget::showDetail()
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    if (!current.isValid()) {
        m_detail->clear();
        return;
    }
    m_detail->setHtml(detailHtml(m_model->eventAt(current.row())));
}

QString AuditBrowserWidget::detailHtml(const Core::AuditEvent& e) const
{
    QString html;
    html += QStringLiteral("<h3>") + esc(e.outcome) + QStringLiteral(" · ") + esc(e.action) + QStringLiteral(" · ") +
            esc(e.module) + QLatin1Char(' ') + esc(e.zohoId) + QStringLiteral("</h3>");
    const auto row = [](const QString& label, const QString& value) -> QString {
        return QStringLiteral("<tr><td><b>") + esc(label) + QStringLiteral("</b></td><td>") + esc(value) +
               QStringLiteral("</td></tr>");
    };
    html += QStringLiteral("<table cellspacing='2'>");
    html += row(tr("Time"), localTime(e.tsMs));
    html += row(tr("Source"), e.source);
    html += row(tr("Direction"), e.direction);
    html += row(tr("PartyNumber"), e.partyNumber.isEmpty() ? QStringLiteral("—") : e.partyNumber);
    html += row(tr("HTTP status"), optionalText(e.httpStatus));
    html += row(tr("Attempt"), optionalText(e.attempt));
    html += row(tr("Duration (ms)"), optionalText(e.durationMs));
    html += row(tr("Mapping version"), optionalText(e.mappingVersion));
    if (!e.reasonClass.isEmpty() || !e.reason.isEmpty())
        html += row(tr("Reason"), e.reasonClass.isEmpty() ? e.reason : e.reasonClass + QStringLiteral(": ") + e.reason);
    html += QStringLiteral("</table>");

    if (!e.zohoId.isEmpty()) {
        html += QStringLiteral("<h4>") + esc(tr("Timeline of %1").arg(e.zohoId)) + QStringLiteral("</h4>");
        const auto timeline = m_log.timeline(e.zohoId, 500, &m_reader);
        if (!timeline) {
            html += QStringLiteral("<p>") + esc(timeline.error().message) + QStringLiteral("</p>");
        } else {
            html += QStringLiteral("<table border='1' cellspacing='0' cellpadding='3'><tr><th>") + esc(tr("Time")) +
                    QStringLiteral("</th><th>") + esc(tr("Outcome")) + QStringLiteral("</th><th>") + esc(tr("Action")) +
                    QStringLiteral("</th><th>") + esc(tr("Source")) + QStringLiteral("</th><th>") + esc(tr("Attempt")) +
                    QStringLiteral("</th><th>") + esc(tr("Reason")) + QStringLiteral("</th></tr>");
            for (const Core::AuditEvent& step : timeline.value()) {
                const bool self = step.id == e.id;
                const QString open = self ? QStringLiteral("<td><b>") : QStringLiteral("<td>");
                const QString close = self ? QStringLiteral("</b></td>") : QStringLiteral("</td>");
                html += QStringLiteral("<tr>") + open + esc(localTime(step.tsMs)) + close + open + esc(step.outcome) +
                        close + open + esc(step.action) + close + open + esc(step.source) + close + open +
                        esc(optionalText(step.attempt)) + close + open + esc(step.reason) + close +
                        QStringLiteral("</tr>");
            }
            html += QStringLiteral("</table>");
        }
    }

    const auto payload = [&](const QString& title, const QString& text) {
        html += QStringLiteral("<h4>") + esc(title) + QStringLiteral("</h4>");
        if (text.isEmpty())
            html += QStringLiteral("<p><i>") + esc(tr("none recorded")) + QStringLiteral("</i></p>");
        else
            html += QStringLiteral("<pre>") + esc(prettyJson(text)) + QStringLiteral("</pre>");
    };
    payload(tr("Request (redacted)"), e.request);
    payload(tr("Response (redacted)"), e.response);
    return html;
}

void AuditBrowserWidget::updateButtons()
{
    m_replaySelected->setEnabled(m_table->selectionModel()->hasSelection());
}

void AuditBrowserWidget::updateStatus()
{
    if (!m_model->lastError().isEmpty()) {
        m_statusLabel->setText(tr("Cannot read the audit log: %1").arg(m_model->lastError()));
        return;
    }
    const int rows = m_model->rowCount();
    if (m_model->canFetchMore(QModelIndex()))
        m_statusLabel->setText(tr("%n event(s) shown, more below", nullptr, rows));
    else
        m_statusLabel->setText(tr("%n event(s)", nullptr, rows));
}

} // namespace Gui
