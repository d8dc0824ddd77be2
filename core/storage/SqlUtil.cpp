#include "storage/SqlUtil.h"

#include <QDir>
#include <QMetaType>

namespace Core::SqlUtil {

Error error(const QString& file, const QString& what, const QSqlError& sqlError)
{
    QString detail = sqlError.databaseText();
    if (detail.isEmpty())
        detail = sqlError.driverText();
    if (detail.isEmpty())
        detail = QStringLiteral("unknown error");
    QString message = QStringLiteral("%1 failed in %2: %3").arg(what, QDir::toNativeSeparators(file), detail);
    if (!sqlError.nativeErrorCode().isEmpty())
        message += QStringLiteral(" (SQLite code %1)").arg(sqlError.nativeErrorCode());
    return Error(Error::Kind::Storage, message);
}

int primaryCode(const QSqlError& sqlError)
{
    bool ok = false;
    const int code = sqlError.nativeErrorCode().toInt(&ok);
    // Extended result codes carry the primary code in the low byte.
    return ok ? (code & 0xff) : -1;
}

Result<Ok> prepare(QSqlQuery& query, const QString& sql, const QString& file, const QString& what)
{
    if (!query.prepare(sql))
        return error(file, what, query.lastError());
    return Ok{};
}

Result<Ok> exec(QSqlQuery& query, const QString& file, const QString& what)
{
    if (!query.exec())
        return error(file, what, query.lastError());
    return Ok{};
}

Result<Ok>
run(QSqlQuery& query, const QString& sql, const QVariantList& values, const QString& file, const QString& what)
{
    if (!query.prepare(sql))
        return error(file, what, query.lastError());
    for (const QVariant& value : values)
        query.addBindValue(value);
    if (!query.exec())
        return error(file, what, query.lastError());
    return Ok{};
}

Result<Ok> execSql(const QSqlDatabase& db, const QString& sql, const QString& file, const QString& what)
{
    QSqlQuery query(db);
    if (!query.exec(sql))
        return error(file, what, query.lastError());
    return Ok{};
}

Result<QVariant> scalar(const QSqlDatabase& db, const QString& sql, const QString& file, const QString& what)
{
    QSqlQuery query(db);
    query.setForwardOnly(true);
    if (!query.exec(sql))
        return error(file, what, query.lastError());
    if (!query.next())
        return QVariant();
    return query.value(0);
}

QVariant text(const QString& value)
{
    return value.isNull() ? QVariant(QMetaType::fromType<QString>()) : QVariant(value);
}

QVariant integer(const std::optional<qint64>& value)
{
    return value ? QVariant(static_cast<qlonglong>(*value)) : QVariant(QMetaType::fromType<qlonglong>());
}

std::optional<qint64> optionalInteger(const QVariant& value)
{
    if (value.isNull())
        return std::nullopt;
    return value.toLongLong();
}

QString optionalText(const QVariant& value)
{
    return value.isNull() ? QString() : value.toString();
}

} // namespace Core::SqlUtil
