#include "Redact.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUrlQuery>

namespace Core::Redact {

namespace {
const QStringList kSecretNames = {
    QStringLiteral("access_token"),  QStringLiteral("refresh_token"), QStringLiteral("client_secret"),
    QStringLiteral("code"),          QStringLiteral("password"),      QStringLiteral("token"),
    QStringLiteral("assertion"),     QStringLiteral("id_token"),      QStringLiteral("secret"),
    QStringLiteral("authorization"),
};

QJsonValue redactJson(const QJsonValue& value)
{
    if (value.isObject()) {
        QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (isSecretName(it.key()) && (it.value().isString() || it.value().isDouble()))
                it.value() = QString::fromLatin1(kMask);
            else
                it.value() = redactJson(it.value());
        }
        return object;
    }
    if (value.isArray()) {
        QJsonArray array = value.toArray();
        for (auto it = array.begin(); it != array.end(); ++it)
            *it = redactJson(*it);
        return array;
    }
    return value;
}
} // namespace

bool isSecretName(const QString& name)
{
    return kSecretNames.contains(name.toLower());
}

QByteArray headerValue(const QByteArray& name, const QByteArray& value)
{
    const QByteArray lower = name.toLower();
    if (lower == "authorization" || lower == "proxy-authorization") {
        const int space = value.indexOf(' ');
        return space > 0 ? value.left(space) + " " + kMask : QByteArray(kMask);
    }
    if (lower == "cookie" || lower == "set-cookie" || lower.contains("token") || lower.contains("secret"))
        return kMask;
    return value;
}

HeaderList headers(const HeaderList& in)
{
    HeaderList out;
    out.reserve(in.size());
    for (const auto& header : in)
        out.append({header.first, headerValue(header.first, header.second)});
    return out;
}

QUrl url(const QUrl& in)
{
    QUrl out = in;
    out.setPassword(QString());
    if (!out.hasQuery())
        return out;
    QUrlQuery query(out);
    const auto items = query.queryItems(QUrl::FullyDecoded);
    QUrlQuery redacted;
    for (const auto& item : items)
        redacted.addQueryItem(item.first, isSecretName(item.first) ? QString::fromLatin1(kMask) : item.second);
    out.setQuery(redacted);
    return out;
}

QByteArray body(const QByteArray& in)
{
    const QByteArray trimmed = in.trimmed();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
        QJsonParseError error{};
        const QJsonDocument doc = QJsonDocument::fromJson(trimmed, &error);
        if (error.error == QJsonParseError::NoError) {
            const QJsonValue redacted = redactJson(doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array()));
            return redacted.isObject() ? QJsonDocument(redacted.toObject()).toJson(QJsonDocument::Compact)
                                       : QJsonDocument(redacted.toArray()).toJson(QJsonDocument::Compact);
        }
        // Not valid JSON: fall through and mask "name":"value" pairs textually.
        static const QRegularExpression pair(
            QStringLiteral(
                R"re("(access_token|refresh_token|client_secret|code|password|token|assertion|id_token)"\s*:\s*"[^"]*")re"),
            QRegularExpression::CaseInsensitiveOption);
        QString text = QString::fromUtf8(in);
        text.replace(pair, QStringLiteral(R"("\1":"***")"));
        return text.toUtf8();
    }
    // A form body: name=value&name=value.
    if (trimmed.contains('=') && !trimmed.contains(' ') && !trimmed.contains('\n')) {
        QList<QByteArray> parts = trimmed.split('&');
        for (QByteArray& part : parts) {
            const int eq = part.indexOf('=');
            if (eq > 0 && isSecretName(QString::fromUtf8(QByteArray::fromPercentEncoding(part.left(eq)))))
                part = part.left(eq + 1) + kMask;
        }
        return parts.join('&');
    }
    return in;
}

} // namespace Core::Redact
