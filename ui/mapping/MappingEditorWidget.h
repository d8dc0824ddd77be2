#pragma once

#include "common/Dialogs.h"
#include "mapping/FieldMapper.h"
#include "mapping/MappingSet.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QStringList>
#include <QWidget>

#include <functional>
#include <memory>
#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QTableView;
class QTableWidget;
class QTimer;

namespace Core {
class MappingStore;
}

namespace Gui {

class MappingTableModel;
class OracleFieldDelegate;
class ZohoFieldDelegate;

// Where the live preview gets its sample records. The app implements it with ZohoClient (search) and
// OracleClient::findBySourceReference (currentOracle); tests with fixed records. Callbacks may come later
// (asynchronously) or at once; late answers to superseded requests are ignored.
struct RecordSource
{
    // Zoho records of `module` whose name or e-mail matches `text` (empty text: any first page).
    std::function<void(const QString& module, const QString& text, std::function<void(const QList<QJsonObject>&)>)>
        search;
    // The Oracle account that the Zoho record `zohoId` is synced to now, if any.
    std::function<void(const QString& zohoId, std::function<void(const std::optional<QJsonObject>&)>)> currentOracle;
};

// Edits the Zoho → Oracle field mapping: rules per module, validation, versioned save, import/export and a live
// preview of one sample record against its current Oracle account.
class MappingEditorWidget : public QWidget
{
    Q_OBJECT

public:
    // `store` may be null: then nothing can be saved and the editor starts from the defaults.
    explicit MappingEditorWidget(Core::MappingStore* store, QWidget* parent = nullptr);
    ~MappingEditorWidget() override;

    void setRecordSource(const RecordSource& source);
    // Where file names and confirmations come from (tests script them).
    void setDialogs(std::shared_ptr<Dialogs> dialogs);
    // Zoho field API names offered in the source column (from the app's field metadata).
    void setZohoFields(const QString& module, const QStringList& fields);
    QStringList zohoFields(const QString& module) const;
    static QStringList defaultZohoFields(const QString& module);

    MappingTableModel* model() const { return m_model; }
    QString module() const;
    void setModule(const QString& module);
    // The latest preview (empty payload and no changes before a record is picked).
    Core::MappingPreview preview() const { return m_preview; }
    bool hasPreview() const { return m_hasPreview; }
    QString statusText() const;

public slots:
    // Loads the latest saved version from the store (the defaults when there is none).
    void reload();
    void save();
    void revert();
    void importJson();
    void exportJson();
    void addRule();
    void removeSelectedRules();

signals:
    void saved(int version);

private:
    // Runs `then` at once when nothing is unsaved, else after the person agrees to drop the edits.
    void confirmDiscard(const QString& action, std::function<void()> then);
    void buildUi();
    void updateActions();
    void updateProblems();
    void setStatus(const QString& text, bool error = false);
    void runSearch();
    void showRecords(const QList<QJsonObject>& records);
    void pickRecord(int row);
    void refreshPreview();
    void fillDiff();
    void doImport(const QString& path);
    void doExport(const QString& path);

    Core::MappingStore* m_store;
    MappingTableModel* m_model;
    RecordSource m_source;
    std::shared_ptr<Dialogs> m_dialogs;
    QMap<QString, QStringList> m_zohoFields;
    Core::FieldMapper m_mapper;

    QComboBox* m_moduleCombo = nullptr;
    QTableView* m_table = nullptr;
    OracleFieldDelegate* m_targetDelegate = nullptr;
    ZohoFieldDelegate* m_sourceDelegate = nullptr;
    QPushButton* m_addButton = nullptr;
    QPushButton* m_removeButton = nullptr;
    QPushButton* m_saveButton = nullptr;
    QPushButton* m_revertButton = nullptr;
    QPushButton* m_importButton = nullptr;
    QPushButton* m_exportButton = nullptr;
    QLineEdit* m_noteEdit = nullptr;
    QLabel* m_problemsLabel = nullptr;
    QLabel* m_statusLabel = nullptr;
    QLineEdit* m_search = nullptr;
    QTimer* m_searchTimer = nullptr;
    QListWidget* m_records = nullptr;
    QLabel* m_previewStatus = nullptr;
    QPlainTextEdit* m_payload = nullptr;
    QTableWidget* m_diff = nullptr;

    QList<QJsonObject> m_recordList;
    std::optional<QJsonObject> m_record;
    std::optional<QJsonObject> m_oracle;
    bool m_oracleKnown = false;
    quint64 m_searchSeq = 0;
    quint64 m_oracleSeq = 0;
    Core::MappingPreview m_preview;
    bool m_hasPreview = false;
};

} // namespace Gui
