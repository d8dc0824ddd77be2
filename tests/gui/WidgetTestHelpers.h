#pragma once

// Small helpers for driving settings pages through their named controls.

#include "secrets/CredentialStore.h"

#include <QComboBox>
#include <QLineEdit>
#include <QTest>

#include <optional>

namespace WidgetTest {

template <typename T>
T* child(QWidget* page, const char* name)
{
    return page->findChild<T*>(QString::fromLatin1(name));
}

template <typename T>
T* child(QWidget& page, const char* name)
{
    return child<T>(&page, name);
}

// Types like a person would, into the line edit named `name`, after clearing it.
inline void typeInto(QWidget* page, const char* name, const QString& text)
{
    auto* edit = child<QLineEdit>(page, name);
    QVERIFY2(edit, name);
    edit->clear();
    QTest::keyClicks(edit, text);
}

inline void typeInto(QWidget& page, const char* name, const QString& text)
{
    typeInto(&page, name, text);
}

inline void choose(QComboBox* combo, const QString& data)
{
    const int index = combo->findData(data);
    QVERIFY(index >= 0);
    combo->setCurrentIndex(index);
}

// The stored value, an empty string when there is none, or "<no answer>" when the store hangs.
inline QString secretIn(Core::CredentialStore& store, const QString& key, QObject* context)
{
    std::optional<Core::Result<QString>> read;
    store.read(key, context, [&read](Core::Result<QString> r) { read = std::move(r); });
    if (!QTest::qWaitFor([&read] { return read.has_value(); }, 5000))
        return QStringLiteral("<no answer>");
    return read->ok() ? read->value() : QString();
}

} // namespace WidgetTest
