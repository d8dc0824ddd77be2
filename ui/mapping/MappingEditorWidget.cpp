#include "MappingEditorWidget.h"

#include "MappingDelegates.h"
#include "MappingTableModel.h"
#include "storage/MappingStore.h"

#include <QComboBox>
#include <QFile>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QTableView>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

using Core::FieldChange;
using Core::MappingSet;

namespace Gui {

namespace {

QString valueText(const QJsonValue& v)
{
    switch (v.type()) {
    case QJsonValue::Undefined:
    case QJsonValue::Null:
        return QString();
    case QJsonValue::String:
        return v.toString();
    case QJsonValue::Double:
        return QString::number(v.toDouble());
    case QJsonValue::Bool:
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    }
    return QString();
}

QString kindText(FieldChange::Kind kind)
{
    switch (kind) {
    case FieldChange::Unchanged:
        return MappingEditorWidget::tr("Unchanged");
    case FieldChange::Changed:
        return MappingEditorWidget::tr("Changed");
    case FieldChange::New:
        return MappingEditorWidget::tr("New");
    case FieldChange::Removed:
        return MappingEditorWidget::tr("Removed");
    }
    return QString();
}

QColor kindColour(FieldChange::Kind kind)
{
    switch (kind) {
    case FieldChange::Unchanged:
        return QColor(240, 240, 240);
    case FieldChange::Changed:
        return QColor(255, 236, 179);
    case FieldChange::New:
        return QColor(200, 237, 200);
    case FieldChange::Removed:
        return QColor(255, 205, 205);
    }
    return QColor();
}

QString recordLabel(const QJsonObject& r)
{
    QString name = r.value(QStringLiteral("Full_Name")).toString();
    if (name.isEmpty())
        name = r.value(QStringLiteral("Account_Name")).toString();
    if (name.isEmpty())
        name = QString(r.value(QStringLiteral("First_Name")).toString() + QLatin1Char(' ') +
                       r.value(QStringLiteral("Last_Name")).toString())
                   .trimmed();
    const QString email = r.value(QStringLiteral("Email")).toString();
    if (!email.isEmpty())
        name += QStringLiteral(" <%1>").arg(email);
    return name.isEmpty() ? r.value(QStringLiteral("id")).toString() : name;
}

} // namespace

MappingEditorWidget::MappingEditorWidget(Core::MappingStore* store, QWidget* parent)
    : QWidget(parent)
    , m_store(store)
    , m_model(new MappingTableModel(this))
{
    m_dialogs = std::make_shared<QtDialogs>();
    for (const QString& module : MappingSet::supportedModules())
        m_zohoFields.insert(module, defaultZohoFields(module));
    buildUi();

    connect(m_model, &MappingTableModel::mappingEdited, this, [this] {
        updateProblems();
        updateActions();
        refreshPreview();
    });
    connect(m_model, &MappingTableModel::dirtyChanged, this, &MappingEditorWidget::updateActions);
    connect(m_model, &MappingTableModel::validityChanged, this, &MappingEditorWidget::updateActions);
    reload();
}

MappingEditorWidget::~MappingEditorWidget() = default;

QStringList MappingEditorWidget::defaultZohoFields(const QString& module)
{
    // Fields the default rules read, then the common standard fields (zoho-crm-api.md §2.3).
    QStringList fields;
    const MappingSet defaults = MappingSet::defaults();
    for (const Core::FieldRule& rule : defaults.rules(module)) {
        for (const QString& s : rule.sources) {
            if (!fields.contains(s))
                fields.append(s);
        }
    }
    QStringList common;
    if (module == MappingSet::contacts()) {
        common = QStringList{
            QStringLiteral("First_Name"),
            QStringLiteral("Last_Name"),
            QStringLiteral("Full_Name"),
            QStringLiteral("Salutation"),
            QStringLiteral("Email"),
            QStringLiteral("Secondary_Email"),
            QStringLiteral("Phone"),
            QStringLiteral("Mobile"),
            QStringLiteral("Home_Phone"),
            QStringLiteral("Other_Phone"),
            QStringLiteral("Fax"),
            QStringLiteral("Title"),
            QStringLiteral("Department"),
            QStringLiteral("Account_Name.name"),
            QStringLiteral("Mailing_Street"),
            QStringLiteral("Mailing_City"),
            QStringLiteral("Mailing_State"),
            QStringLiteral("Mailing_Zip"),
            QStringLiteral("Mailing_Country"),
            QStringLiteral("Other_Street"),
            QStringLiteral("Other_City"),
            QStringLiteral("Other_State"),
            QStringLiteral("Other_Zip"),
            QStringLiteral("Other_Country"),
            QStringLiteral("Description"),
            QStringLiteral("Lead_Source"),
        };
    } else if (module == MappingSet::accounts()) {
        common = QStringList{
            QStringLiteral("Account_Name"),
            QStringLiteral("Account_Number"),
            QStringLiteral("Account_Site"),
            QStringLiteral("Account_Type"),
            QStringLiteral("Parent_Account.name"),
            QStringLiteral("Phone"),
            QStringLiteral("Fax"),
            QStringLiteral("Website"),
            QStringLiteral("Industry"),
            QStringLiteral("Employees"),
            QStringLiteral("Annual_Revenue"),
            QStringLiteral("Ownership"),
            QStringLiteral("Rating"),
            QStringLiteral("SIC_Code"),
            QStringLiteral("Ticker_Symbol"),
            QStringLiteral("Billing_Street"),
            QStringLiteral("Billing_City"),
            QStringLiteral("Billing_State"),
            QStringLiteral("Billing_Code"),
            QStringLiteral("Billing_Country"),
            QStringLiteral("Shipping_Street"),
            QStringLiteral("Shipping_City"),
            QStringLiteral("Shipping_State"),
            QStringLiteral("Shipping_Code"),
            QStringLiteral("Shipping_Country"),
            QStringLiteral("Description"),
        };
    }
    for (const QString& f : std::as_const(common)) {
        if (!fields.contains(f))
            fields.append(f);
    }
    return fields;
}

void MappingEditorWidget::buildUi()
{
    m_moduleCombo = new QComboBox(this);
    m_moduleCombo->setObjectName(QStringLiteral("moduleCombo"));
    m_moduleCombo->setAccessibleName(tr("Zoho module"));
    m_moduleCombo->addItems(MappingSet::supportedModules());

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("mappingTable"));
    m_table->setAccessibleName(tr("Field rules"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                             QAbstractItemView::AnyKeyPressed);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_targetDelegate = new OracleFieldDelegate(this);
    m_sourceDelegate = new ZohoFieldDelegate(m_zohoFields.value(m_model->module()), this);
    m_table->setItemDelegateForColumn(MappingTableModel::TargetColumn, m_targetDelegate);
    m_table->setItemDelegateForColumn(MappingTableModel::SourcesColumn, m_sourceDelegate);

    auto button = [this](const QString& name, const QString& text, const QString& accessible) {
        auto* b = new QPushButton(text, this);
        b->setObjectName(name);
        b->setAccessibleName(accessible);
        return b;
    };
    m_addButton = button(QStringLiteral("addRuleButton"), tr("&Add rule"), tr("Add rule"));
    m_removeButton = button(QStringLiteral("removeRuleButton"), tr("&Remove rule"), tr("Remove selected rules"));
    m_importButton = button(QStringLiteral("importButton"), tr("&Import…"), tr("Import mapping JSON"));
    m_exportButton = button(QStringLiteral("exportButton"), tr("&Export…"), tr("Export mapping JSON"));
    m_revertButton = button(QStringLiteral("revertButton"), tr("Re&vert"), tr("Revert to the last saved version"));
    m_saveButton = button(QStringLiteral("saveButton"), tr("&Save"), tr("Save as a new mapping version"));
    m_noteEdit = new QLineEdit(this);
    m_noteEdit->setObjectName(QStringLiteral("saveNote"));
    m_noteEdit->setAccessibleName(tr("Note for the saved version"));
    m_noteEdit->setPlaceholderText(tr("What changed (saved with the version)"));

    m_problemsLabel = new QLabel(this);
    m_problemsLabel->setObjectName(QStringLiteral("problemsLabel"));
    m_problemsLabel->setWordWrap(true);
    m_problemsLabel->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_statusLabel = new QLabel(this);
    m_statusLabel->setObjectName(QStringLiteral("statusLabel"));
    m_statusLabel->setWordWrap(true);

    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Zoho module:"), this));
    top->addWidget(m_moduleCombo);
    top->addStretch();
    top->addWidget(m_importButton);
    top->addWidget(m_exportButton);
    auto* rowButtons = new QHBoxLayout;
    rowButtons->addWidget(m_addButton);
    rowButtons->addWidget(m_removeButton);
    rowButtons->addStretch();
    auto* saveRow = new QHBoxLayout;
    saveRow->addWidget(m_noteEdit, 1);
    saveRow->addWidget(m_revertButton);
    saveRow->addWidget(m_saveButton);

    auto* editor = new QWidget(this);
    auto* editorLayout = new QVBoxLayout(editor);
    editorLayout->setContentsMargins(0, 0, 0, 0);
    editorLayout->addLayout(top);
    editorLayout->addWidget(m_table, 1);
    editorLayout->addLayout(rowButtons);
    editorLayout->addWidget(m_problemsLabel);
    editorLayout->addLayout(saveRow);
    editorLayout->addWidget(m_statusLabel);

    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("previewSearch"));
    m_search->setAccessibleName(tr("Search sample Zoho records by name or e-mail"));
    m_search->setPlaceholderText(tr("Search a Zoho record by name or e-mail"));
    m_search->setClearButtonEnabled(true);
    m_searchTimer = new QTimer(this);
    m_searchTimer->setSingleShot(true);
    m_searchTimer->setInterval(250);
    m_records = new QListWidget(this);
    m_records->setObjectName(QStringLiteral("previewRecords"));
    m_records->setAccessibleName(tr("Sample Zoho records"));
    m_previewStatus = new QLabel(tr("Pick a record to preview the mapping."), this);
    m_previewStatus->setObjectName(QStringLiteral("previewStatus"));
    m_previewStatus->setWordWrap(true);
    m_payload = new QPlainTextEdit(this);
    m_payload->setObjectName(QStringLiteral("previewPayload"));
    m_payload->setAccessibleName(tr("Mapped Oracle payload"));
    m_payload->setReadOnly(true);
    m_diff = new QTableWidget(0, 5, this);
    m_diff->setObjectName(QStringLiteral("previewDiff"));
    m_diff->setAccessibleName(tr("Changes against the current Oracle account"));
    m_diff->setHorizontalHeaderLabels(
        {tr("Oracle field"), tr("Oracle now"), tr("After mapping"), tr("Change"), tr("Diagnostics")});
    m_diff->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_diff->horizontalHeader()->setStretchLastSection(true);
    m_diff->verticalHeader()->hide();

    auto* preview = new QWidget(this);
    auto* previewLayout = new QVBoxLayout(preview);
    previewLayout->setContentsMargins(0, 0, 0, 0);
    previewLayout->addWidget(new QLabel(tr("Live preview"), this));
    previewLayout->addWidget(m_search);
    previewLayout->addWidget(m_records, 1);
    previewLayout->addWidget(m_previewStatus);
    previewLayout->addWidget(m_diff, 2);
    previewLayout->addWidget(m_payload, 1);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(editor);
    splitter->addWidget(preview);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(splitter);

    connect(m_moduleCombo, &QComboBox::currentTextChanged, this, &MappingEditorWidget::setModule);
    connect(m_addButton, &QPushButton::clicked, this, &MappingEditorWidget::addRule);
    connect(m_removeButton, &QPushButton::clicked, this, &MappingEditorWidget::removeSelectedRules);
    connect(m_saveButton, &QPushButton::clicked, this, &MappingEditorWidget::save);
    connect(m_revertButton, &QPushButton::clicked, this, &MappingEditorWidget::revert);
    connect(m_importButton, &QPushButton::clicked, this, &MappingEditorWidget::importJson);
    connect(m_exportButton, &QPushButton::clicked, this, &MappingEditorWidget::exportJson);
    connect(m_search, &QLineEdit::textChanged, m_searchTimer, qOverload<>(&QTimer::start));
    connect(m_searchTimer, &QTimer::timeout, this, &MappingEditorWidget::runSearch);
    connect(m_records, &QListWidget::currentRowChanged, this, &MappingEditorWidget::pickRecord);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &MappingEditorWidget::updateActions);
}

void MappingEditorWidget::setRecordSource(const RecordSource& source)
{
    m_source = source;
    runSearch();
}

void MappingEditorWidget::setDialogs(std::shared_ptr<Dialogs> dialogs)
{
    m_dialogs = std::move(dialogs);
}

void MappingEditorWidget::setZohoFields(const QString& module, const QStringList& fields)
{
    m_zohoFields.insert(module, fields);
    if (module == this->module())
        m_sourceDelegate->setNames(fields);
}

QStringList MappingEditorWidget::zohoFields(const QString& module) const
{
    return m_zohoFields.value(module);
}

QString MappingEditorWidget::module() const
{
    return m_model->module();
}

void MappingEditorWidget::setModule(const QString& module)
{
    if (!MappingSet::supportedModules().contains(module) || module == m_model->module())
        return;
    m_moduleCombo->setCurrentText(module);
    m_model->setModule(module);
    m_sourceDelegate->setNames(m_zohoFields.value(module));
    updateProblems();
    updateActions();
    m_records->clear();
    m_recordList.clear();
    m_record.reset();
    m_oracle.reset();
    m_oracleKnown = false;
    refreshPreview();
    runSearch();
}

QString MappingEditorWidget::statusText() const
{
    return m_statusLabel->text();
}

void MappingEditorWidget::setStatus(const QString& text, bool error)
{
    m_statusLabel->setText(text);
    m_statusLabel->setStyleSheet(error ? QStringLiteral("color: #b00020;") : QString());
}

void MappingEditorWidget::reload()
{
    MappingSet set = MappingSet::defaults();
    if (m_store) {
        const auto latest = m_store->latest();
        if (!latest.ok()) {
            setStatus(tr("Could not read the saved mapping: %1").arg(latest.error().message), true);
        } else if (latest.value()) {
            const auto parsed = MappingSet::fromJson(latest.value()->json.toUtf8());
            if (parsed.ok()) {
                set = parsed.value();
                set.setVersion(latest.value()->version);
                setStatus(tr("Mapping version %1").arg(latest.value()->version));
            } else {
                setStatus(tr("Saved version %1 is not usable, showing the defaults: %2")
                              .arg(latest.value()->version)
                              .arg(parsed.error().message),
                          true);
            }
        } else {
            setStatus(tr("No mapping saved yet; showing the defaults."));
        }
    }
    m_model->setMapping(set);
}

void MappingEditorWidget::save()
{
    if (!m_store || !m_model->isValid())
        return;
    const auto latest = m_store->latest();
    if (!latest.ok()) {
        setStatus(tr("Could not save: %1").arg(latest.error().message), true);
        return;
    }
    const int next = latest.value() ? latest.value()->version + 1 : 1;
    MappingSet set = m_model->mapping();
    set.setVersion(next);
    QString note = m_noteEdit->text().trimmed();
    if (note.isEmpty())
        note = tr("Edited in the mapping editor");
    const auto added = m_store->add(QString::fromUtf8(set.toJson()), note);
    if (!added.ok()) {
        setStatus(tr("Could not save: %1").arg(added.error().message), true);
        return;
    }
    set.setVersion(added.value());
    m_model->markSaved(set);
    m_noteEdit->clear();
    setStatus(tr("Saved as mapping version %1").arg(added.value()));
    updateActions();
    emit saved(added.value());
}

void MappingEditorWidget::revert()
{
    QPointer<MappingEditorWidget> self(this);
    confirmDiscard(tr("Revert"), [self] {
        if (!self)
            return;
        if (self->m_store) {
            self->reload();
        } else {
            self->m_model->setMapping(self->m_model->savedMapping());
            self->setStatus(tr("Reverted."));
        }
    });
}

void MappingEditorWidget::confirmDiscard(const QString& action, std::function<void()> then)
{
    if (!m_model->isDirty()) {
        then();
        return;
    }
    m_dialogs->confirm(this,
                       {tr("Unsaved mapping edits"), tr("Discard the edits you have not saved?"),
                        tr("They are not in any mapping version yet."), action},
                       [then](bool discard) {
                           if (discard)
                               then();
                       });
}

void MappingEditorWidget::importJson()
{
    QPointer<MappingEditorWidget> self(this);
    confirmDiscard(tr("Import"), [self] {
        if (!self)
            return;
        self->m_dialogs->chooseFile(self,
                                    {Dialogs::FileMode::Open, tr("Import mapping"), tr("Mapping JSON (*.json)"), {}},
                                    [self](const QString& path) {
                                        if (self && !path.isEmpty())
                                            self->doImport(path);
                                    });
    });
}

void MappingEditorWidget::exportJson()
{
    if (!m_model->isValid())
        return;
    QPointer<MappingEditorWidget> self(this);
    m_dialogs->chooseFile(
        this, {Dialogs::FileMode::Save, tr("Export mapping"), tr("Mapping JSON (*.json)"), QStringLiteral("json")},
        [self](const QString& path) {
            if (self && !path.isEmpty())
                self->doExport(path);
        });
}

void MappingEditorWidget::doImport(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        setStatus(tr("Could not read %1: %2").arg(path, file.errorString()), true);
        return;
    }
    const auto parsed = MappingSet::fromJson(file.readAll());
    if (!parsed.ok()) {
        setStatus(tr("%1 is not a usable mapping:\n%2").arg(path, parsed.error().message), true);
        return;
    }
    m_model->setEditedMapping(parsed.value());
    setStatus(tr("Imported %1; save to make it the new version.").arg(path));
}

void MappingEditorWidget::doExport(const QString& path)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(m_model->mapping().toJson()) < 0 || !file.commit()) {
        setStatus(tr("Could not write %1: %2").arg(path, file.errorString()), true);
        return;
    }
    setStatus(tr("Exported to %1").arg(path));
}

void MappingEditorWidget::addRule()
{
    const int row = m_model->rowCount();
    if (!m_model->insertRows(row, 1))
        return;
    const QModelIndex target = m_model->index(row, MappingTableModel::TargetColumn);
    m_table->setCurrentIndex(target);
    m_table->edit(target);
}

void MappingEditorWidget::removeSelectedRules()
{
    QList<int> rows;
    for (const QModelIndex& index : m_table->selectionModel()->selectedRows())
        rows.append(index.row());
    if (rows.isEmpty() && m_table->currentIndex().isValid())
        rows.append(m_table->currentIndex().row());
    std::sort(rows.begin(), rows.end(), std::greater<int>());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    for (int row : std::as_const(rows))
        m_model->removeRows(row, 1);
}

void MappingEditorWidget::updateActions()
{
    const bool valid = m_model->isValid();
    const bool dirty = m_model->isDirty();
    m_saveButton->setEnabled(m_store && valid && dirty);
    m_saveButton->setToolTip(valid ? QString() : tr("Fix the marked rules before saving."));
    m_revertButton->setEnabled(dirty);
    m_exportButton->setEnabled(valid);
    m_removeButton->setEnabled(m_model->rowCount() > 0);
}

void MappingEditorWidget::updateProblems()
{
    QStringList lines = m_model->moduleLevelProblems();
    int badRows = 0;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        if (!m_model->rowProblem(row).isEmpty())
            ++badRows;
    }
    if (badRows > 0)
        lines.prepend(tr("%n rule(s) need attention (see the marked rows).", nullptr, badRows));
    const QString prefix = QStringLiteral("modules.") + module();
    int elsewhere = 0;
    for (const QString& p : m_model->problems()) {
        if (!p.startsWith(prefix))
            ++elsewhere;
    }
    if (elsewhere > 0)
        lines.append(tr("%n problem(s) in another module.", nullptr, elsewhere));
    m_problemsLabel->setText(lines.join(QLatin1Char('\n')));
    m_problemsLabel->setVisible(!lines.isEmpty());
}

void MappingEditorWidget::runSearch()
{
    m_searchTimer->stop();
    if (!m_source.search)
        return;
    const quint64 seq = ++m_searchSeq;
    QPointer<MappingEditorWidget> self(this);
    m_source.search(module(), m_search->text().trimmed(), [self, seq](const QList<QJsonObject>& records) {
        if (self && seq == self->m_searchSeq)
            self->showRecords(records);
    });
}

void MappingEditorWidget::showRecords(const QList<QJsonObject>& records)
{
    const QString pickedId = m_record ? m_record->value(QStringLiteral("id")).toString() : QString();
    m_recordList = records;
    {
        const QSignalBlocker blocker(m_records);
        m_records->clear();
        for (const QJsonObject& r : records)
            m_records->addItem(recordLabel(r));
    }
    int keep = -1;
    for (int i = 0; i < records.size(); ++i) {
        if (!pickedId.isEmpty() && records.at(i).value(QStringLiteral("id")).toString() == pickedId)
            keep = i;
    }
    if (keep >= 0) {
        const QSignalBlocker blocker(m_records);
        m_records->setCurrentRow(keep);
        return;
    }
    if (records.isEmpty()) {
        m_previewStatus->setText(tr("No matching record."));
        return;
    }
    m_records->setCurrentRow(0);
}

void MappingEditorWidget::pickRecord(int row)
{
    if (row < 0 || row >= m_recordList.size())
        return;
    m_record = m_recordList.at(row);
    m_oracle.reset();
    m_oracleKnown = false;
    const QString zohoId = m_record->value(QStringLiteral("id")).toString();
    if (!m_source.currentOracle) {
        m_oracleKnown = true;
        refreshPreview();
        return;
    }
    m_previewStatus->setText(tr("Reading the current Oracle account…"));
    const quint64 seq = ++m_oracleSeq;
    QPointer<MappingEditorWidget> self(this);
    m_source.currentOracle(zohoId, [self, seq](const std::optional<QJsonObject>& item) {
        if (!self || seq != self->m_oracleSeq)
            return;
        self->m_oracle = item;
        self->m_oracleKnown = true;
        self->refreshPreview();
    });
}

void MappingEditorWidget::refreshPreview()
{
    if (!m_record || !m_oracleKnown) {
        m_hasPreview = false;
        m_preview = Core::MappingPreview();
        m_payload->clear();
        m_diff->setRowCount(0);
        return;
    }
    m_preview = m_mapper.preview(m_model->mapping(), module(), *m_record, m_oracle);
    m_hasPreview = true;
    // An unusable rule set maps nothing; listing every field as Removed would only mislead.
    const QString prefix = QStringLiteral("modules.") + module();
    int problems = 0;
    for (const QString& p : m_model->problems()) {
        if (p.startsWith(prefix))
            ++problems;
    }
    if (problems > 0) {
        m_payload->clear();
        m_diff->setRowCount(0);
        m_previewStatus->setText(
            tr("Preview paused: %n problem(s) in the %1 rules; fix the marked rows.", nullptr, problems).arg(module()));
        return;
    }
    m_payload->setPlainText(QString::fromUtf8(QJsonDocument(m_preview.result.payload).toJson()));
    fillDiff();
    const auto errors = m_preview.result.errors().size();
    const auto warnings = m_preview.result.warnings().size();
    QString status =
        m_oracle ? tr("Compared with the current Oracle account.") : tr("No Oracle account yet: every field is new.");
    if (errors > 0 || warnings > 0)
        status += QLatin1Char(' ') + tr("%1 error(s), %2 warning(s).").arg(errors).arg(warnings);
    m_previewStatus->setText(status);
}

void MappingEditorWidget::fillDiff()
{
    QMap<QString, QStringList> notes;
    for (const Core::FieldDiagnostic& d : m_preview.result.diagnostics) {
        const QString prefix = d.severity == Core::FieldDiagnostic::Error ? tr("Error: ") : tr("Warning: ");
        notes[d.target].append(prefix + d.message);
    }
    m_diff->setRowCount(0);
    auto addRow = [this](const QString& field, const QString& before, const QString& after, const QString& kind,
                         int kindValue, const QColor& colour, const QStringList& diagnostics) {
        const int row = m_diff->rowCount();
        m_diff->insertRow(row);
        const QStringList texts{field, before, after, kind, diagnostics.join(QLatin1Char('\n'))};
        for (int c = 0; c < texts.size(); ++c) {
            auto* item = new QTableWidgetItem(texts.at(c));
            item->setData(Qt::UserRole, kindValue);
            if (colour.isValid())
                item->setBackground(colour);
            if (!diagnostics.isEmpty())
                item->setToolTip(diagnostics.join(QLatin1Char('\n')));
            m_diff->setItem(row, c, item);
        }
    };
    for (const FieldChange& c : std::as_const(m_preview.changes)) {
        addRow(c.field, valueText(c.before), valueText(c.after), kindText(c.kind), c.kind, kindColour(c.kind),
               notes.take(c.field));
    }
    // Diagnostics for fields that got no value at all.
    for (auto it = notes.constBegin(); it != notes.constEnd(); ++it)
        addRow(it.key(), QString(), QString(), tr("Not mapped"), -1, QColor(255, 205, 205), it.value());
    m_diff->resizeColumnsToContents();
}

} // namespace Gui
