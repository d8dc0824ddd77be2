#pragma once

#include "Result.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QVariant>
#include <QVariantList>

#include <optional>

namespace Core {

// Small helpers shared by the storage classes: every failure becomes a Storage error that names
// the file and the operation and carries SQLite's own text. Values are always bound, never spliced.
namespace SqlUtil {

// "<what> failed in /path/app.db: <SQLite text> (SQLite code N)"
Error error(const QString& file, const QString& what, const QSqlError& sqlError);

// SQLite's primary result code (SQLITE_BUSY = 5, SQLITE_CORRUPT = 11, SQLITE_NOTADB = 26…), -1 if none.
int primaryCode(const QSqlError& sqlError);

Result<Ok> prepare(QSqlQuery& query, const QString& sql, const QString& file, const QString& what);
Result<Ok> exec(QSqlQuery& query, const QString& file, const QString& what);
// Prepares sql, binds values positionally ("?") and executes it.
Result<Ok>
run(QSqlQuery& query, const QString& sql, const QVariantList& values, const QString& file, const QString& what);
// A statement without bound values (DDL, pragmas with constant arguments).
Result<Ok> execSql(const QSqlDatabase& db, const QString& sql, const QString& file, const QString& what);
// The first column of the first row of a statement without bound values.
Result<QVariant> scalar(const QSqlDatabase& db, const QString& sql, const QString& file, const QString& what);

// A null QString or an empty optional binds SQL NULL.
QVariant text(const QString& value);
QVariant integer(const std::optional<qint64>& value);
std::optional<qint64> optionalInteger(const QVariant& value);
QString optionalText(const QVariant& value);

} // namespace SqlUtil
} // namespace Core
