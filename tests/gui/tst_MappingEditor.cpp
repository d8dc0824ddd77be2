#include "mapping/MappingDelegates.h"
#include "mapping/MappingEditorWidget.h"
#include "mapping/MappingTableModel.h"

#include "ScriptedDialogs.h"
#include "storage/Database.h"
#include "storage/MappingStore.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QFile>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <memory>

using Core::FieldRule;
using Core::MappingSet;
using Core::MappingStore;
using Gui::MappingEditorWidget;
using Gui::MappingTableModel;

namespace {

QJsonObject contact(const QString& id,
                    const QString& first,
                    const QString& last,
                    const QString& email,
                    const QString& city,
                    const QString& country)
{
    return QJsonObject{{QStringLiteral("id"), id},
                       {QStringLiteral("First_Name"), first},
                       {QStringLiteral("Last_Name"), last},
                       {QStringLiteral("Full_Name"), QString(first + QLatin1Char(' ') + last)},
                       {QStringLiteral("Email"), email},
                       {QStringLiteral("Mailing_City"), city},
                       {QStringLiteral("Mailing_Country"), country}};
}

// Fixed sample records and their Oracle accounts, answered asynchronously like the real clients.
struct FakeRecords
{
    QList<QJsonObject> contacts{
        contact(QStringLiteral("Z1"),
                QStringLiteral("Ada"),
                QStringLiteral("Lovelace"),
                QStringLiteral("Ada@Example.com"),
                QStringLiteral("London"),
                QStringLiteral("United Kingdom")),
        contact(QStringLiteral("Z2"),
                QStringLiteral("Grace"),
                QStringLiteral("Hopper"),
                QStringLiteral("grace@navy.example"),
                QStringLiteral("Arlington"),
                QStringLiteral("US")),
    };
    QList<QJsonObject> accounts{QJsonObject{{QStringLiteral("id"), QStringLiteral("A1")},
                                            {QStringLiteral("Account_Name"), QStringLiteral("Zylker GmbH")},
                                            {QStringLiteral("Billing_City"), QStringLiteral("Berlin")}}};
    QMap<QString, QJsonObject> oracle{
        {QStringLiteral("Z1"), QJsonObject{{QStringLiteral("OrganizationName"), QStringLiteral("Ada Lovelace")},
                                           {QStringLiteral("EmailAddress"), QStringLiteral("ada@example.com")},
                                           {QStringLiteral("City"), QStringLiteral("London")},
                                           {QStringLiteral("Country"), QStringLiteral("GB")}}}};
    QStringList searchedModules;

    Gui::RecordSource source(QObject* context)
    {
        Gui::RecordSource s;
        s.search = [this, context](const QString& module, const QString& text,
                                   std::function<void(const QList<QJsonObject>&)> done) {
            searchedModules.append(module);
            QList<QJsonObject> hits;
            for (const QJsonObject& r : module == MappingSet::accounts() ? accounts : contacts) {
                const QString hay = r.value(QStringLiteral("Full_Name")).toString() + QLatin1Char(' ') +
                                    r.value(QStringLiteral("Account_Name")).toString() + QLatin1Char(' ') +
                                    r.value(QStringLiteral("Email")).toString();
                if (hay.contains(text, Qt::CaseInsensitive))
                    hits.append(r);
            }
            QTimer::singleShot(0, context, [done, hits] { done(hits); });
        };
        s.currentOracle = [this, context](const QString& zohoId,
                                          std::function<void(const std::optional<QJsonObject>&)> done) {
            std::optional<QJsonObject> item;
            if (oracle.contains(zohoId))
                item = oracle.value(zohoId);
            QTimer::singleShot(0, context, [done, item] { done(item); });
        };
        return s;
    }
};

struct Fixture
{
    QTemporaryDir dir;
    std::unique_ptr<Core::Database> db;
    std::unique_ptr<MappingStore> store;
    FakeRecords records;
    std::unique_ptr<MappingEditorWidget> editor;
    std::unique_ptr<QAbstractItemModelTester> tester;
    std::shared_ptr<ScriptedDialogs> dialogs = std::make_shared<ScriptedDialogs>();

    // Opens the store; `seed` saves these JSON versions before the editor starts.
    explicit Fixture(const QStringList& seed = {})
    {
        auto opened = Core::Database::open(dir.filePath(QStringLiteral("profile.sqlite")));
        if (!opened.ok())
            qFatal("database: %s", qPrintable(opened.error().message));
        db = std::move(opened.value());
        store = std::make_unique<MappingStore>(*db);
        for (const QString& json : seed) {
            if (!store->add(json, QStringLiteral("seed")).ok())
                qFatal("seed failed");
        }
        editor = std::make_unique<MappingEditorWidget>(store.get());
        tester = std::make_unique<QAbstractItemModelTester>(editor->model(),
                                                            QAbstractItemModelTester::FailureReportingMode::QtTest);
        dialogs->answer = true; // discard unsaved edits when asked
        editor->setDialogs(dialogs);
        editor->resize(1200, 700);
        editor->show();
    }

    MappingTableModel* model() const { return editor->model(); }
    template <typename T>
    T* child(const char* name) const
    {
        return editor->findChild<T*>(QLatin1String(name));
    }
    QTableView* table() const { return child<QTableView>("mappingTable"); }
    QPushButton* saveButton() const { return child<QPushButton>("saveButton"); }

    int rowOf(const QString& target) const
    {
        for (int r = 0; r < model()->rowCount(); ++r) {
            if (model()->index(r, MappingTableModel::TargetColumn).data().toString() == target)
                return r;
        }
        return -1;
    }
    QModelIndex cell(const QString& target, int column) const { return model()->index(rowOf(target), column); }

    // The "Change" column of the visible diff table for a field; empty when the field is not listed.
    QString diffKind(const QString& field) const { return diffCell(field, 3); }
    QString diffCell(const QString& field, int column) const
    {
        const auto* diff = child<QTableWidget>("previewDiff");
        for (int r = 0; r < diff->rowCount(); ++r) {
            if (diff->item(r, 0) && diff->item(r, 0)->text() == field)
                return diff->item(r, column) ? diff->item(r, column)->text() : QString();
        }
        return QString();
    }
    QJsonObject payload() const
    {
        return QJsonDocument::fromJson(child<QPlainTextEdit>("previewPayload")->toPlainText().toUtf8()).object();
    }

    void startPreview() { editor->setRecordSource(records.source(editor.get())); }
};

} // namespace

class tst_MappingEditor : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QApplication::setQuitOnLastWindowClosed(false);
    }

    void loadsTheDefaultsWhenNothingIsSaved()
    {
        Fixture f;
        QCOMPARE(f.model()->mapping(), MappingSet::defaults());
        QCOMPARE(f.model()->module(), MappingSet::contacts());
        QCOMPARE(f.model()->rowCount(), MappingSet::defaults().rules(MappingSet::contacts()).size());
        QCOMPARE(f.model()->index(0, MappingTableModel::TargetColumn).data().toString(),
                 QStringLiteral("OrganizationName"));
        QCOMPARE(f.model()->index(0, MappingTableModel::SourcesColumn).data().toString(),
                 QStringLiteral("First_Name, Last_Name"));
        QCOMPARE(f.model()->index(0, MappingTableModel::RequiredColumn).data(Qt::CheckStateRole).toInt(),
                 int(Qt::Checked));
        QCOMPARE(f.cell(QStringLiteral("EmailAddress"), MappingTableModel::TransformsColumn).data().toString(),
                 QStringLiteral("trim, lower, email"));
        QVERIFY(f.rowOf(QStringLiteral("PhoneCountryCode, PhoneAreaCode, PhoneNumber")) >= 0);
        QVERIFY(f.model()->isValid());
        QVERIFY(!f.model()->isDirty());
        QVERIFY(!f.saveButton()->isEnabled());
        QVERIFY(f.editor->statusText().contains(QStringLiteral("defaults")));
        // Delegates: Oracle fields on the target column, Zoho fields on the source column.
        auto* targetDelegate =
            qobject_cast<Gui::NameComboDelegate*>(f.table()->itemDelegateForColumn(MappingTableModel::TargetColumn));
        auto* sourceDelegate =
            qobject_cast<Gui::NameComboDelegate*>(f.table()->itemDelegateForColumn(MappingTableModel::SourcesColumn));
        QVERIFY(targetDelegate && sourceDelegate);
        QVERIFY(targetDelegate->names().contains(QStringLiteral("TaxpayerIdentificationNumber")));
        QVERIFY(!targetDelegate->names().contains(QStringLiteral("PartyId")));
        QVERIFY(sourceDelegate->names().contains(QStringLiteral("Mailing_Zip")));
        QVERIFY(sourceDelegate->names().contains(QStringLiteral("Secondary_Email")));
    }

    void loadsTheLatestSavedVersion()
    {
        MappingSet v2 = MappingSet::defaults();
        QList<FieldRule> rules = v2.rules(MappingSet::contacts());
        rules[1].transforms = {Core::Transform(Core::Transform::Kind::Trim)};
        v2.setRules(MappingSet::contacts(), rules);
        Fixture f({QString::fromUtf8(MappingSet::defaults().toJson()), QString::fromUtf8(v2.toJson())});
        v2.setVersion(2);
        QCOMPARE(f.model()->mapping(), v2);
        QCOMPARE(f.cell(QStringLiteral("EmailAddress"), MappingTableModel::TransformsColumn).data().toString(),
                 QStringLiteral("trim"));
    }

    void editingThroughTheModelUpdatesThePreview()
    {
        Fixture f;
        f.startPreview();
        QTRY_VERIFY(f.editor->hasPreview());
        QCOMPARE(f.payload().value(QStringLiteral("OrganizationName")).toString(), QStringLiteral("Ada Lovelace"));
        QCOMPARE(f.payload().value(QStringLiteral("EmailAddress")).toString(), QStringLiteral("ada@example.com"));
        QCOMPARE(f.diffKind(QStringLiteral("EmailAddress")), QStringLiteral("Unchanged"));
        QCOMPARE(f.diffKind(QStringLiteral("City")), QStringLiteral("Unchanged"));
        QCOMPARE(f.diffKind(QStringLiteral("Country")), QStringLiteral("Unchanged"));
        QCOMPARE(f.diffKind(QStringLiteral("AddressLine1")), QString());

        // lower → upper: the payload changes; Oracle compares e-mail addresses case-insensitively, so the diff
        // rightly stays Unchanged (FieldMapper::preview normalises e-mail case).
        QSignalSpy dirty(f.model(), &MappingTableModel::dirtyChanged);
        QVERIFY(f.model()->setData(f.cell(QStringLiteral("EmailAddress"), MappingTableModel::TransformsColumn),
                                   QStringLiteral("trim, upper, email")));
        QCOMPARE(dirty.count(), 1);
        QCOMPARE(dirty.at(0).at(0).toBool(), true);
        QTRY_COMPARE(f.payload().value(QStringLiteral("EmailAddress")).toString(), QStringLiteral("ADA@EXAMPLE.COM"));
        QCOMPARE(f.diffKind(QStringLiteral("EmailAddress")), QStringLiteral("Unchanged"));
        QVERIFY(f.saveButton()->isEnabled());

        // A case change Oracle does see: City.
        QVERIFY(f.model()->setData(f.cell(QStringLiteral("City"), MappingTableModel::TransformsColumn),
                                   QStringLiteral("trim, upper")));
        QTRY_COMPARE(f.diffKind(QStringLiteral("City")), QStringLiteral("Changed"));
        QCOMPARE(f.diffCell(QStringLiteral("City"), 1), QStringLiteral("London"));
        QCOMPARE(f.diffCell(QStringLiteral("City"), 2), QStringLiteral("LONDON"));
        QCOMPARE(f.editor->preview().result.payload.value(QStringLiteral("City")).toString(), QStringLiteral("LONDON"));

        // A default for a field the record leaves empty: State becomes New.
        QVERIFY(f.model()->setData(f.cell(QStringLiteral("State"), MappingTableModel::DefaultColumn),
                                   QStringLiteral("Greater London")));
        QTRY_COMPARE(f.diffKind(QStringLiteral("State")), QStringLiteral("New"));
        QCOMPARE(f.payload().value(QStringLiteral("State")).toString(), QStringLiteral("Greater London"));

        // Removing the email rule leaves Oracle's value without a mapped one: Removed... only for fields the rules
        // still write, so EmailAddress simply disappears from the payload.
        const int emailRow = f.rowOf(QStringLiteral("EmailAddress"));
        QVERIFY(f.model()->removeRows(emailRow, 1));
        QTRY_VERIFY(!f.payload().contains(QStringLiteral("EmailAddress")));

        // Undoing every edit by hand makes the model clean again.
        f.model()->setMapping(MappingSet::defaults());
        QVERIFY(!f.model()->isDirty());
        QTRY_COMPARE(f.diffKind(QStringLiteral("City")), QStringLiteral("Unchanged"));
    }

    void diagnosticsAreShownInline()
    {
        Fixture f;
        f.records.contacts[0].insert(QStringLiteral("Email"), QStringLiteral("not-an-address"));
        f.startPreview();
        QTRY_VERIFY(f.editor->hasPreview());
        const auto diags = f.editor->preview().result.diagnostics;
        QVERIFY(!diags.isEmpty());
        const QString shown = f.diffCell(diags.first().target, 4);
        QVERIFY2(shown.contains(diags.first().message), qPrintable(shown));
    }

    void pickingAnotherRecordUpdatesThePreview()
    {
        Fixture f;
        f.startPreview();
        QTRY_VERIFY(f.editor->hasPreview());
        auto* search = f.child<QLineEdit>("previewSearch");
        QTest::keyClicks(search, QStringLiteral("navy"));
        QTRY_COMPARE(f.payload().value(QStringLiteral("OrganizationName")).toString(), QStringLiteral("Grace Hopper"));
        QCOMPARE(f.child<QListWidget>("previewRecords")->count(), 1);
        // Grace has no Oracle account yet: every field is new.
        QCOMPARE(f.diffKind(QStringLiteral("OrganizationName")), QStringLiteral("New"));
        QCOMPARE(f.diffKind(QStringLiteral("Country")), QStringLiteral("New"));
        QCOMPARE(f.diffCell(QStringLiteral("Country"), 2), QStringLiteral("US"));

        // Another module: Accounts rules and records.
        f.child<QComboBox>("moduleCombo")->setCurrentText(MappingSet::accounts());
        QCOMPARE(f.model()->module(), MappingSet::accounts());
        QCOMPARE(f.model()->rowCount(), MappingSet::defaults().rules(MappingSet::accounts()).size());
        search->clear();
        QTRY_COMPARE(f.payload().value(QStringLiteral("OrganizationName")).toString(), QStringLiteral("Zylker GmbH"));
        QVERIFY(f.records.searchedModules.contains(MappingSet::accounts()));
        auto* sourceDelegate =
            qobject_cast<Gui::NameComboDelegate*>(f.table()->itemDelegateForColumn(MappingTableModel::SourcesColumn));
        QVERIFY(sourceDelegate->names().contains(QStringLiteral("Billing_Code")));
    }

    void editingThroughTheViewUpdatesThePreview()
    {
        Fixture f;
        QVERIFY(QTest::qWaitForWindowExposed(f.editor.get()));
        f.startPreview();
        QTRY_COMPARE(f.diffKind(QStringLiteral("City")), QStringLiteral("Unchanged"));

        // The transforms column: a plain line edit.
        const QModelIndex transforms = f.cell(QStringLiteral("City"), MappingTableModel::TransformsColumn);
        f.table()->setCurrentIndex(transforms);
        f.table()->edit(transforms);
        auto* line = f.table()->viewport()->findChild<QLineEdit*>();
        QVERIFY(line);
        line->selectAll();
        QTest::keyClicks(line, QStringLiteral("trim, upper"));
        QTest::keyClick(line, Qt::Key_Return);
        QTRY_COMPARE(f.diffKind(QStringLiteral("City")), QStringLiteral("Changed"));
        QCOMPARE(transforms.data().toString(), QStringLiteral("trim, upper"));

        // The sources column: the Zoho field combo. Pointing City at Mailing_State (empty) removes it.
        const QModelIndex sources = f.cell(QStringLiteral("City"), MappingTableModel::SourcesColumn);
        f.table()->setCurrentIndex(sources);
        f.table()->edit(sources);
        auto* combo = f.table()->viewport()->findChild<QComboBox*>(QStringLiteral("nameComboEditor"));
        QVERIFY(combo);
        QCOMPARE(combo->currentText(), QStringLiteral("Mailing_City"));
        const int stateIndex = combo->findText(QStringLiteral("Mailing_State"));
        QVERIFY(stateIndex >= 0);
        combo->setCurrentIndex(stateIndex);
        QTest::keyClick(combo, Qt::Key_Return);
        QTRY_COMPARE(f.diffKind(QStringLiteral("City")), QStringLiteral("Removed"));
        QCOMPARE(sources.data().toString(), QStringLiteral("Mailing_State"));

        // The required check box toggles through the model.
        const QModelIndex required = f.cell(QStringLiteral("City"), MappingTableModel::RequiredColumn);
        QVERIFY(f.model()->setData(required, Qt::Checked, Qt::CheckStateRole));
        QVERIFY(f.model()->mapping().rules(MappingSet::contacts()).at(required.row()).required);
    }

    void invalidTargetMarksTheRowAndDisablesSave()
    {
        Fixture f;
        QVERIFY(QTest::qWaitForWindowExposed(f.editor.get()));
        QVERIFY(f.model()->setData(f.cell(QStringLiteral("City"), MappingTableModel::DefaultColumn),
                                   QStringLiteral("Nowhere")));
        QVERIFY(f.saveButton()->isEnabled());
        const int row = f.rowOf(QStringLiteral("City"));
        QSignalSpy validity(f.model(), &MappingTableModel::validityChanged);

        // Typed into the real combo editor: validated as the user types, before the editor closes.
        const QModelIndex target = f.model()->index(row, MappingTableModel::TargetColumn);
        f.table()->setCurrentIndex(target);
        f.table()->edit(target);
        auto* combo = f.table()->viewport()->findChild<QComboBox*>(QStringLiteral("nameComboEditor"));
        QVERIFY(combo);
        combo->lineEdit()->selectAll();
        QTest::keyClicks(combo->lineEdit(), QStringLiteral("Cityy"));
        QTRY_VERIFY(!f.model()->isValid());
        QVERIFY(validity.count() >= 1); // "City" on the way to "Cityy" is valid again
        QCOMPARE(validity.last().at(0).toBool(), false);
        QCOMPARE(combo->currentText(), QStringLiteral("Cityy"));
        const QString message = target.data(MappingTableModel::ValidationRole).toString();
        QVERIFY2(message.contains(QStringLiteral("unknown Oracle accounts field \"Cityy\"")), qPrintable(message));
        QCOMPARE(target.data(Qt::ToolTipRole).toString(), message);
        QCOMPARE(target.data(Qt::DecorationRole).value<QColor>(), QColor(Qt::red));
        QCOMPARE(f.model()->index(row, MappingTableModel::DefaultColumn).data(Qt::ToolTipRole).toString(), message);
        QVERIFY(f.model()
                    ->index(0, MappingTableModel::TargetColumn)
                    .data(MappingTableModel::ValidationRole)
                    .toString()
                    .isEmpty());
        QVERIFY(!f.saveButton()->isEnabled());
        QVERIFY(!f.child<QPushButton>("exportButton")->isEnabled());
        QVERIFY(f.child<QLabel>("problemsLabel")->text().contains(QStringLiteral("1 rule")));
        f.saveButton()->click();
        QCOMPARE(f.store->list().value().size(), 0);

        // Fixing it (select the right name in the combo) makes the row and Save good again.
        combo->setCurrentIndex(combo->findText(QStringLiteral("City")));
        QTest::keyClick(combo, Qt::Key_Return);
        QTRY_VERIFY(f.model()->isValid());
        QVERIFY(target.data(MappingTableModel::ValidationRole).toString().isEmpty());
        QVERIFY(!target.data(Qt::DecorationRole).isValid());
        QVERIFY(f.saveButton()->isEnabled());

        // A duplicate target marks the later row.
        QVERIFY(f.model()->setData(target, QStringLiteral("EmailAddress")));
        QVERIFY(target.data(MappingTableModel::ValidationRole).toString().contains(QStringLiteral("duplicate")));
        QVERIFY(!f.saveButton()->isEnabled());
        QVERIFY(f.model()->setData(target, QStringLiteral("City")));
        QVERIFY(f.saveButton()->isEnabled());

        // An unknown transform name: the row is marked, the set keeps the last valid list.
        const QModelIndex transforms = f.model()->index(row, MappingTableModel::TransformsColumn);
        QVERIFY(f.model()->setData(transforms, QStringLiteral("trim, uppercase2")));
        QCOMPARE(transforms.data().toString(), QStringLiteral("trim, uppercase2"));
        QVERIFY(transforms.data(MappingTableModel::ValidationRole)
                    .toString()
                    .contains(QStringLiteral("unknown transform \"uppercase2\"")));
        QVERIFY(!f.saveButton()->isEnabled());
        QVERIFY(f.model()->setData(transforms, QStringLiteral("trim,upper")));
        QCOMPARE(transforms.data().toString(), QStringLiteral("trim, upper"));
        QVERIFY(f.model()->isValid());

        // Module-level problem: without an OrganizationName rule the module cannot be saved.
        QVERIFY(f.model()->removeRows(0, 1));
        QVERIFY(!f.model()->isValid());
        QVERIFY(f.child<QLabel>("problemsLabel")->text().contains(QStringLiteral("OrganizationName")));
        QVERIFY(!f.saveButton()->isEnabled());
    }

    void addAndRemoveRules()
    {
        Fixture f;
        const int before = f.model()->rowCount();
        f.child<QPushButton>("addRuleButton")->click();
        QCOMPARE(f.model()->rowCount(), before + 1);
        QVERIFY(!f.model()->rowProblem(before).isEmpty()); // no target, no source yet
        QVERIFY(!f.saveButton()->isEnabled());
        const QModelIndex target = f.model()->index(before, MappingTableModel::TargetColumn);
        f.table()->closePersistentEditor(target);
        QVERIFY(f.model()->setData(target, QStringLiteral("Description")));
        QVERIFY(f.model()->setData(f.model()->index(before, MappingTableModel::SourcesColumn),
                                   QStringLiteral("Description")));
        QVERIFY(f.model()->isValid());
        QVERIFY(f.saveButton()->isEnabled());

        f.table()->selectRow(before);
        f.child<QPushButton>("removeRuleButton")->click();
        QCOMPARE(f.model()->rowCount(), before);
        QCOMPARE(f.model()->mapping(), MappingSet::defaults());
        QVERIFY(!f.model()->isDirty());
    }

    void saveCreatesTheNextVersion()
    {
        Fixture f({QString::fromUtf8(MappingSet::defaults().toJson())});
        QCOMPARE(f.store->latest().value()->version, 1);
        QSignalSpy saved(f.editor.get(), &MappingEditorWidget::saved);
        QVERIFY(f.model()->setData(f.cell(QStringLiteral("City"), MappingTableModel::TransformsColumn),
                                   QStringLiteral("trim, title")));
        f.child<QLineEdit>("saveNote")->setText(QStringLiteral("City in title case"));
        QVERIFY(f.saveButton()->isEnabled());
        f.saveButton()->click();

        QCOMPARE(saved.count(), 1);
        QCOMPARE(saved.at(0).at(0).toInt(), 2);
        const auto versions = f.store->list().value();
        QCOMPARE(versions.size(), 2);
        QCOMPARE(versions.last().version, 2);
        QCOMPARE(versions.last().note, QStringLiteral("City in title case"));
        const auto stored = MappingSet::fromJson(versions.last().json.toUtf8());
        QVERIFY2(stored.ok(), qPrintable(stored.ok() ? QString() : stored.error().message));
        QCOMPARE(stored.value().version(), 2);
        QCOMPARE(stored.value(), f.model()->mapping());
        QVERIFY(!f.model()->isDirty());
        QVERIFY(!f.saveButton()->isEnabled());
        QVERIFY(f.editor->statusText().contains(QStringLiteral("version 2")));

        // Another edit, another version; the note falls back to a default.
        QVERIFY(f.model()->setData(f.cell(QStringLiteral("PostalCode"), MappingTableModel::DefaultColumn),
                                   QStringLiteral("00000")));
        f.saveButton()->click();
        QCOMPARE(f.store->latest().value()->version, 3);
        QVERIFY(!f.store->latest().value()->note.isEmpty());
        QCOMPARE(f.store->list().value().size(), 3);
    }

    void revertGoesBackToTheLastSavedVersion()
    {
        Fixture f;
        QVERIFY(f.model()->setData(f.cell(QStringLiteral("City"), MappingTableModel::TransformsColumn),
                                   QStringLiteral("upper")));
        f.saveButton()->click();
        QCOMPARE(f.store->latest().value()->version, 1);
        const MappingSet saved = f.model()->mapping();

        f.startPreview();
        QTRY_COMPARE(f.diffKind(QStringLiteral("City")), QStringLiteral("Changed"));
        QVERIFY(f.model()->setData(f.cell(QStringLiteral("City"), MappingTableModel::TransformsColumn),
                                   QStringLiteral("trim")));
        QTRY_COMPARE(f.diffKind(QStringLiteral("City")), QStringLiteral("Unchanged"));
        QVERIFY(f.model()->setData(f.cell(QStringLiteral("OrganizationName"), MappingTableModel::TargetColumn),
                                   QStringLiteral("Nope")));
        QVERIFY(f.model()->isDirty());
        // An unusable rule set pauses the preview instead of listing every field as Removed.
        QTRY_COMPARE(f.diffKind(QStringLiteral("City")), QString());
        QVERIFY(f.child<QLabel>("previewStatus")->text().contains(QStringLiteral("Preview paused")));
        auto* revert = f.child<QPushButton>("revertButton");
        QVERIFY(revert->isEnabled());
        // Unsaved edits are dropped only after the person agrees.
        f.dialogs->answers = {false};
        revert->click();
        QTRY_COMPARE(f.dialogs->questions.size(), 1);
        QCoreApplication::processEvents();
        QVERIFY(f.model()->isDirty());
        QCOMPARE(f.dialogs->questions.first().acceptText, QStringLiteral("Revert"));
        revert->click();
        QTRY_COMPARE(f.model()->mapping(), saved);
        QCOMPARE(f.dialogs->questions.size(), 2);
        QVERIFY(!f.model()->isDirty());
        QVERIFY(f.model()->isValid());
        QVERIFY(!revert->isEnabled());
        QTRY_COMPARE(f.diffKind(QStringLiteral("City")), QStringLiteral("Changed"));
    }

    void exportAndImportRoundTrip()
    {
        Fixture f;
        f.dialogs->path = f.dir.filePath(QStringLiteral("exported.json"));
        QVERIFY(f.model()->setData(f.cell(QStringLiteral("City"), MappingTableModel::TransformsColumn),
                                   QStringLiteral("trim, upper")));
        QVERIFY(f.model()->setData(f.cell(QStringLiteral("State"), MappingTableModel::DefaultColumn),
                                   QStringLiteral("n/a")));
        const MappingSet edited = f.model()->mapping();
        f.child<QPushButton>("exportButton")->click();
        QTRY_VERIFY(QFile::exists(f.dialogs->path));
        QCOMPARE(f.dialogs->fileRequests.value(0).mode, Gui::Dialogs::FileMode::Save);
        QFile file(f.dialogs->path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const auto exported = MappingSet::fromJson(file.readAll());
        QVERIFY(exported.ok());
        QCOMPARE(exported.value(), edited);

        f.child<QPushButton>("revertButton")->click();
        QTRY_COMPARE(f.model()->mapping(), MappingSet::defaults());

        f.child<QPushButton>("importButton")->click();
        QTRY_COMPARE(f.model()->mapping(), edited);
        QCOMPARE(f.dialogs->fileRequests.value(1).mode, Gui::Dialogs::FileMode::Open);
        QVERIFY(f.model()->isDirty()); // imported, not yet saved
        QVERIFY(f.saveButton()->isEnabled());
        QCOMPARE(f.cell(QStringLiteral("State"), MappingTableModel::DefaultColumn).data().toString(),
                 QStringLiteral("n/a"));

        // A broken file is refused with its problems, and the table stays as it was.
        QFile broken(f.dir.filePath(QStringLiteral("broken.json")));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        QByteArray json = edited.toJson();
        json.replace("\"upper\"", "\"uppercase2\"");
        broken.write(json);
        broken.close();
        f.dialogs->path = broken.fileName();
        f.child<QPushButton>("importButton")->click();
        QTRY_VERIFY(f.editor->statusText().contains(QStringLiteral("uppercase2")));
        QCOMPARE(f.model()->mapping(), edited);

        // Cancelling the dialog does nothing.
        f.dialogs->path.clear();
        const QString status = f.editor->statusText();
        f.child<QPushButton>("importButton")->click();
        QTRY_COMPARE(f.dialogs->fileRequests.size(), 4);
        QCoreApplication::processEvents();
        QCOMPARE(f.editor->statusText(), status);
    }
};

QTEST_MAIN(tst_MappingEditor)
#include "tst_MappingEditor.moc"
