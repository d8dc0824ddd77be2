#pragma once

#include "Result.h"
#include "sync/OutboxStore.h"

#include <QByteArray>
#include <QHash>
#include <QJsonArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace Core {

// Why a callback is turned away: the HTTP status to answer and the counter reason.
struct NotificationRejection
{
    int status = 400;
    QString reason; // bad_json, missing_token, unknown_channel, bad_token, bad_payload, storage
    QString detail; // for the log when the check itself failed (storage); never the token
};

// A Zoho notification callback body, checked. Whatever the body says, parse() answers with a value:
// no I/O besides the token lookup, so the fuzzers and tests reach it without a socket.
struct ParsedNotification
{
    std::optional<NotificationRejection> rejection; // set: refuse the callback
    QString channelId;                              // as far as the body names one, also when refused (logs)
    QString module;
    QStringList ids; // distinct, in the order sent
    qint64 serverTimeMs = 0;
    QString operation;
    QHash<QString, QJsonArray> affectedFields; // by record id

    // One outbox row per id, keyed by module, id and server time.
    QList<OutboxItem> outboxItems() const;
};

namespace NotificationParser {

// The token a known channel must present; nullopt for a channel we do not know.
using TokenLookup = std::function<Result<std::optional<QString>>(const QString& channelId)>;

// Who is calling comes before what the body says, so an unknown caller learns nothing more:
// bad_json, then missing_token / unknown_channel / bad_token (compared in constant time) or storage,
// then bad_payload. An empty lookup knows no channel.
ParsedNotification parse(const QByteArray& body, const TokenLookup& tokens);

} // namespace NotificationParser

} // namespace Core
