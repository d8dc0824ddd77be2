#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

namespace Core {

// application/x-www-form-urlencoded, with every reserved byte escaped: secrets may contain
// '+', '&' or '=' and must reach the server unchanged.
inline QByteArray formBody(const QList<QPair<QString, QString>>& fields)
{
    QByteArray out;
    for (const auto& field : fields) {
        if (!out.isEmpty())
            out += '&';
        out += QByteArray(field.first.toUtf8()).toPercentEncoding() + '=' + field.second.toUtf8().toPercentEncoding();
    }
    return out;
}

} // namespace Core
