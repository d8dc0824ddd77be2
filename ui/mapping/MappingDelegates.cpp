#include "MappingDelegates.h"

#include "mapping/OracleFields.h"

#include <QComboBox>
#include <QLineEdit>

namespace Gui {

namespace {

QString normalised(const QString& text)
{
    QStringList parts;
    for (const QString& part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        if (!part.trimmed().isEmpty())
            parts.append(part.trimmed());
    }
    return parts.join(QStringLiteral(", "));
}

} // namespace

NameComboDelegate::NameComboDelegate(QStringList names, QObject* parent)
    : QStyledItemDelegate(parent)
    , m_names(std::move(names))
{ }

QWidget* NameComboDelegate::createEditor(QWidget* parent, const QStyleOptionViewItem&, const QModelIndex&) const
{
    auto* combo = new QComboBox(parent);
    combo->setObjectName(QStringLiteral("nameComboEditor"));
    combo->setEditable(true);
    combo->setInsertPolicy(QComboBox::NoInsert);
    combo->addItems(m_names);
    combo->setAccessibleName(tr("Field name"));
    connect(combo, &QComboBox::currentTextChanged, this,
            [this, combo] { emit const_cast<NameComboDelegate*>(this)->commitData(combo); });
    return combo;
}

void NameComboDelegate::setEditorData(QWidget* editor, const QModelIndex& index) const
{
    auto* combo = qobject_cast<QComboBox*>(editor);
    if (!combo)
        return QStyledItemDelegate::setEditorData(editor, index);
    const QString text = index.data(Qt::EditRole).toString();
    // The model normalises lists ("a ,b" → "a, b"); leave what the user is typing alone when it means the same.
    if (normalised(combo->currentText()) == text)
        return;
    const QSignalBlocker blocker(combo);
    const int i = combo->findText(text);
    if (i >= 0)
        combo->setCurrentIndex(i);
    else
        combo->setEditText(text);
}

void NameComboDelegate::setModelData(QWidget* editor, QAbstractItemModel* model, const QModelIndex& index) const
{
    auto* combo = qobject_cast<QComboBox*>(editor);
    if (!combo)
        return QStyledItemDelegate::setModelData(editor, model, index);
    model->setData(index, combo->currentText(), Qt::EditRole);
}

OracleFieldDelegate::OracleFieldDelegate(QObject* parent)
    : NameComboDelegate(Core::OracleFields::mappable(), parent)
{ }

ZohoFieldDelegate::ZohoFieldDelegate(const QStringList& zohoFields, QObject* parent)
    : NameComboDelegate(zohoFields, parent)
{ }

} // namespace Gui
