#include "OutboxProbe.h"

#include <QFile>
#include <QSqlDatabase>
#include <QSqlQuery>

namespace Soak {

OutboxProbe::OutboxProbe(QString databasePath)
    : m_path(std::move(databasePath))
{ }

OutboxState OutboxProbe::read() const
{
    OutboxState state;
    if (!QFile::exists(m_path))
        return state;
    const QString name = QStringLiteral("soak-outbox-probe");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(m_path);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=10000"));
        if (db.open()) {
            QSqlQuery q(db);
            q.setForwardOnly(true);
            if (q.exec(QStringLiteral("SELECT state, COUNT(*) FROM outbox GROUP BY state"))) {
                state.readable = true;
                while (q.next()) {
                    const QString s = q.value(0).toString();
                    const qint64 n = q.value(1).toLongLong();
                    if (s == QLatin1String("pending"))
                        state.pending = n;
                    else if (s == QLatin1String("running"))
                        state.running = n;
                    else if (s == QLatin1String("done"))
                        state.done = n;
                    else if (s == QLatin1String("failed"))
                        state.failed = n;
                    else if (s == QLatin1String("dead"))
                        state.dead = n;
                }
            }
            db.close();
        }
    }
    QSqlDatabase::removeDatabase(name);
    return state;
}

} // namespace Soak
