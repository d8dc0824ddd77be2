#pragma once

#include "mapping/MappingSet.h"

#include <QAbstractTableModel>
#include <QMap>
#include <QStringList>

namespace Gui {

// The rules of one Zoho module of a MappingSet, as an editable table. The model keeps every module of the set
// (switching module keeps the edits of the others) and validates on every edit: MappingSet::problems() is the
// source of truth, plus what the set itself cannot hold (an unknown transform name typed into the table).
class MappingTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { TargetColumn, SourcesColumn, TransformsColumn, DefaultColumn, RequiredColumn, ColumnCount };
    enum Role {
        ValidationRole = Qt::UserRole + 1, // QString: what is wrong with the row, one problem a line; empty if fine
    };

    explicit MappingTableModel(QObject* parent = nullptr);

    // Replaces the whole set; it becomes the clean (saved) state.
    void setMapping(const Core::MappingSet& mapping);
    // Replaces the rules as an edit (e.g. an import): the saved state stays, so the model becomes dirty.
    void setEditedMapping(const Core::MappingSet& mapping);
    // The edited set. Rows with an unknown transform keep their last valid transform list here.
    Core::MappingSet mapping() const;
    // Marks the current state as saved (clean).
    void markSaved(const Core::MappingSet& saved);
    Core::MappingSet savedMapping() const { return m_saved; }

    QString module() const { return m_module; }
    void setModule(const QString& module);

    bool isDirty() const { return m_dirty; }
    bool isValid() const { return m_problems.isEmpty(); }
    // Every problem of the edited set (all modules), with its path.
    QStringList problems() const { return m_problems; }
    // Problems of the current module that belong to no single row (e.g. no rule writes OrganizationName).
    QStringList moduleLevelProblems() const { return m_moduleProblems; }
    QString rowProblem(int row) const { return m_rowProblems.value(row).join(QLatin1Char('\n')); }

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool insertRows(int row, int count, const QModelIndex& parent = QModelIndex()) override;
    bool removeRows(int row, int count, const QModelIndex& parent = QModelIndex()) override;

    static QStringList splitList(const QString& text);

signals:
    void dirtyChanged(bool dirty);
    void validityChanged(bool valid);
    // After any change of the rules (edit, insert, remove, reload).
    void mappingEdited();

private:
    struct Row
    {
        Core::FieldRule rule;
        QString pendingTransforms; // text with an unknown transform name; empty when rule.transforms is current
        QStringList unknownTransforms;
    };

    QList<Row>& rows() { return m_rows[m_module]; }
    const QList<Row> rowsOf(const QString& module) const { return m_rows.value(module); }
    QString transformText(const Row& row) const;
    bool setTransforms(Row& row, const QString& text);
    void loadRows(const Core::MappingSet& mapping);
    void revalidate();
    void updateDirty();
    void afterEdit();

    QMap<QString, QList<Row>> m_rows;
    int m_version = 1;
    Core::MappingSet m_saved;
    QString m_module;
    bool m_dirty = false;
    QStringList m_problems;
    QStringList m_moduleProblems;
    QMap<int, QStringList> m_rowProblems; // current module only
};

} // namespace Gui
