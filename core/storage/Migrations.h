#pragma once

#include "Result.h"

#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include <functional>

namespace Core {

// One schema step: brings the database from version - 1 to version. Database runs the pending steps
// in order inside one transaction and sets PRAGMA user_version after each.
struct Migration
{
    int version = 0;
    QString name;
    // Runs on the writer connection, inside the migration transaction; file is for error messages.
    std::function<Result<Ok>(const QSqlDatabase& db, const QString& file)> apply;

    static Migration fromSql(int version, const QString& name, const QStringList& statements);
};

namespace Migrations {

// The schema this version of ml-connector knows, oldest first. Never edit a released step: add one.
QList<Migration> builtin();

} // namespace Migrations
} // namespace Core
