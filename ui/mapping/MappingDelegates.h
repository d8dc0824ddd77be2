#pragma once

#include <QStringList>
#include <QStyledItemDelegate>

namespace Gui {

// An editable combo box over a fixed list of names (Oracle fields, Zoho fields). The user may also type a
// comma-separated list (several sources, phone targets); every keystroke is committed, so the model validates
// as the user types.
class NameComboDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    explicit NameComboDelegate(QStringList names, QObject* parent = nullptr);

    QStringList names() const { return m_names; }
    void setNames(const QStringList& names) { m_names = names; }

    QWidget* createEditor(QWidget* parent, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    void setEditorData(QWidget* editor, const QModelIndex& index) const override;
    void setModelData(QWidget* editor, QAbstractItemModel* model, const QModelIndex& index) const override;

private:
    QStringList m_names;
};

// The target column: the Oracle `accounts` fields a mapping may write (Core::OracleFields).
class OracleFieldDelegate : public NameComboDelegate
{
    Q_OBJECT

public:
    explicit OracleFieldDelegate(QObject* parent = nullptr);
};

// The source column: Zoho field API names of the module being edited.
class ZohoFieldDelegate : public NameComboDelegate
{
    Q_OBJECT

public:
    explicit ZohoFieldDelegate(const QStringList& zohoFields, QObject* parent = nullptr);
};

} // namespace Gui
