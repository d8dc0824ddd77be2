#include "MappingTableModel.h"

#include <QColor>
#include <QRegularExpression>

using Core::FieldRule;
using Core::MappingSet;
using Core::Transform;

namespace Gui {

namespace {

QString joinList(const QStringList& list)
{
    return list.join(QStringLiteral(", "));
}

// "modules.Contacts.rules[3].target: …" → 3 for module Contacts; -1 for a module-level or other problem.
int problemRow(const QString& problem, const QString& module)
{
    static const QRegularExpression pattern(QStringLiteral("^modules\\.([^.]+)\\.rules\\[(\\d+)\\]"));
    const QRegularExpressionMatch m = pattern.match(problem);
    if (!m.hasMatch() || m.captured(1) != module)
        return -1;
    return m.captured(2).toInt();
}

} // namespace

MappingTableModel::MappingTableModel(QObject* parent)
    : QAbstractTableModel(parent)
    , m_module(MappingSet::contacts())
{ }

QStringList MappingTableModel::splitList(const QString& text)
{
    QStringList out;
    for (const QString& part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString t = part.trimmed();
        if (!t.isEmpty())
            out.append(t);
    }
    return out;
}

void MappingTableModel::loadRows(const MappingSet& mapping)
{
    beginResetModel();
    m_rows.clear();
    for (const QString& module : mapping.modules()) {
        QList<Row> list;
        for (const FieldRule& rule : mapping.rules(module))
            list.append(Row{rule, QString(), QStringList()});
        m_rows.insert(module, list);
    }
    m_version = mapping.version();
    revalidate();
    endResetModel();
    updateDirty();
    emit mappingEdited();
}

void MappingTableModel::setMapping(const MappingSet& mapping)
{
    m_saved = mapping;
    loadRows(mapping);
}

void MappingTableModel::setEditedMapping(const MappingSet& mapping)
{
    loadRows(mapping);
}

MappingSet MappingTableModel::mapping() const
{
    MappingSet set;
    set.setVersion(m_version);
    for (auto it = m_rows.constBegin(); it != m_rows.constEnd(); ++it) {
        QList<FieldRule> rules;
        for (const Row& row : it.value())
            rules.append(row.rule);
        set.setRules(it.key(), rules);
    }
    return set;
}

void MappingTableModel::markSaved(const MappingSet& saved)
{
    m_saved = saved;
    m_version = saved.version();
    updateDirty();
}

void MappingTableModel::setModule(const QString& module)
{
    if (module == m_module)
        return;
    beginResetModel();
    m_module = module;
    revalidate();
    endResetModel();
}

int MappingTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.value(m_module).size());
}

int MappingTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString MappingTableModel::transformText(const Row& row) const
{
    if (!row.pendingTransforms.isEmpty())
        return row.pendingTransforms;
    QStringList names;
    for (const Transform& t : row.rule.transforms)
        names.append(Transform::name(t.kind));
    return joinList(names);
}

QVariant MappingTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const Row& row = m_rows.value(m_module).at(index.row());
    const QString problem = rowProblem(index.row());

    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        switch (index.column()) {
        case TargetColumn:
            return joinList(row.rule.targets());
        case SourcesColumn:
            return joinList(row.rule.sources);
        case TransformsColumn:
            return transformText(row);
        case DefaultColumn:
            return row.rule.defaultValue;
        case RequiredColumn:
            return QVariant();
        }
        break;
    case Qt::CheckStateRole:
        if (index.column() == RequiredColumn)
            return row.rule.required ? Qt::Checked : Qt::Unchecked;
        break;
    case ValidationRole:
        return problem;
    case Qt::ToolTipRole:
        if (!problem.isEmpty())
            return problem;
        break;
    case Qt::DecorationRole:
        if (index.column() == TargetColumn && !problem.isEmpty())
            return QColor(Qt::red);
        break;
    case Qt::BackgroundRole:
        if (!problem.isEmpty())
            return QColor(255, 225, 225);
        break;
    case Qt::AccessibleDescriptionRole:
        if (!problem.isEmpty())
            return tr("Invalid: %1").arg(problem);
        break;
    default:
        break;
    }
    return QVariant();
}

QVariant MappingTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TargetColumn:
        return tr("Oracle field");
    case SourcesColumn:
        return tr("Zoho field(s)");
    case TransformsColumn:
        return tr("Transforms");
    case DefaultColumn:
        return tr("Default");
    case RequiredColumn:
        return tr("Required");
    }
    return QVariant();
}

bool MappingTableModel::setTransforms(Row& row, const QString& text)
{
    QList<Transform> transforms;
    QStringList unknown;
    for (const QString& name : splitList(text)) {
        const auto kind = Transform::kindNamed(name);
        if (!kind) {
            unknown.append(name);
            continue;
        }
        // Keep the parameters of a transform the rule already has (valueMap's map, phone's region).
        Transform t(*kind);
        for (const Transform& old : row.rule.transforms) {
            if (old.kind == *kind) {
                t = old;
                break;
            }
        }
        transforms.append(t);
    }
    row.unknownTransforms = unknown;
    if (!unknown.isEmpty()) {
        row.pendingTransforms = joinList(splitList(text));
        return true;
    }
    row.pendingTransforms.clear();
    row.rule.transforms = transforms;
    return true;
}

bool MappingTableModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    Row& row = rows()[index.row()];
    const Row before = row;

    if (role == Qt::CheckStateRole) {
        if (index.column() != RequiredColumn)
            return false;
        row.rule.required = value.toInt() == Qt::Checked;
    } else if (role == Qt::EditRole) {
        const QString text = value.toString();
        switch (index.column()) {
        case TargetColumn: {
            const QStringList targets = splitList(text);
            row.rule.target = targets.value(0);
            row.rule.extraTargets = targets.mid(1);
            break;
        }
        case SourcesColumn:
            row.rule.sources = splitList(text);
            break;
        case TransformsColumn:
            setTransforms(row, text);
            break;
        case DefaultColumn:
            row.rule.defaultValue = text;
            break;
        default:
            return false;
        }
    } else {
        return false;
    }

    if (row.rule == before.rule && row.pendingTransforms == before.pendingTransforms)
        return true;
    emit dataChanged(index, index, {role, Qt::DisplayRole, Qt::EditRole, Qt::CheckStateRole});
    afterEdit();
    return true;
}

Qt::ItemFlags MappingTableModel::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.column() == RequiredColumn)
        f |= Qt::ItemIsUserCheckable;
    else
        f |= Qt::ItemIsEditable;
    return f;
}

bool MappingTableModel::insertRows(int row, int count, const QModelIndex& parent)
{
    if (parent.isValid() || row < 0 || row > rowCount() || count < 1)
        return false;
    beginInsertRows(QModelIndex(), row, row + count - 1);
    for (int i = 0; i < count; ++i) {
        Row r;
        r.rule.transforms = {Transform(Transform::Kind::Trim)};
        rows().insert(row + i, r);
    }
    endInsertRows();
    afterEdit();
    return true;
}

bool MappingTableModel::removeRows(int row, int count, const QModelIndex& parent)
{
    if (parent.isValid() || row < 0 || count < 1 || row + count > rowCount())
        return false;
    beginRemoveRows(QModelIndex(), row, row + count - 1);
    rows().erase(rows().begin() + row, rows().begin() + row + count);
    endRemoveRows();
    afterEdit();
    return true;
}

void MappingTableModel::revalidate()
{
    const bool wasValid = m_problems.isEmpty();
    QStringList problems = mapping().problems();
    for (auto it = m_rows.constBegin(); it != m_rows.constEnd(); ++it) {
        for (int i = 0; i < it.value().size(); ++i) {
            for (const QString& name : it.value().at(i).unknownTransforms)
                problems.append(QStringLiteral("modules.%1.rules[%2].transforms: unknown transform \"%3\"")
                                    .arg(it.key())
                                    .arg(i)
                                    .arg(name));
        }
    }
    m_problems = problems;
    m_rowProblems.clear();
    m_moduleProblems.clear();
    const QString prefix = QStringLiteral("modules.") + m_module;
    for (const QString& p : std::as_const(m_problems)) {
        const int row = problemRow(p, m_module);
        if (row >= 0)
            m_rowProblems[row].append(p.mid(p.indexOf(QLatin1String(": ")) + 2));
        else if (p.startsWith(prefix))
            m_moduleProblems.append(p.mid(p.indexOf(QLatin1String(": ")) + 2));
    }
    if (wasValid != m_problems.isEmpty())
        emit validityChanged(m_problems.isEmpty());
}

void MappingTableModel::updateDirty()
{
    bool dirty = mapping() != m_saved;
    for (auto it = m_rows.constBegin(); !dirty && it != m_rows.constEnd(); ++it) {
        for (const Row& row : it.value())
            dirty = dirty || !row.pendingTransforms.isEmpty();
    }
    if (dirty != m_dirty) {
        m_dirty = dirty;
        emit dirtyChanged(dirty);
    }
}

void MappingTableModel::afterEdit()
{
    revalidate();
    if (rowCount() > 0)
        emit dataChanged(
            index(0, 0), index(rowCount() - 1, ColumnCount - 1),
            {ValidationRole, Qt::ToolTipRole, Qt::DecorationRole, Qt::BackgroundRole, Qt::AccessibleDescriptionRole});
    updateDirty();
    emit mappingEdited();
}

} // namespace Gui
