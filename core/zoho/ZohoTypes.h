#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace Core {

// One item of a Zoho write answer: Zoho reports success and failure per record.
struct ZohoWriteResult
{
    bool ok = false;
    QString id;
    QString code;    // SUCCESS, INVALID_DATA, MANDATORY_NOT_FOUND, …
    QString message; // Zoho's words
    QString field;   // details.api_name, when Zoho names one
    QDateTime modifiedTime;
};

// A notification channel as we ask for it.
struct ZohoChannelSpec
{
    QString channelId;  // digits; Zoho takes a long and echoes a string
    QStringList events; // "Contacts.all", "Accounts.create", …
    QUrl notifyUrl;
    QString token; // at most 50 characters; Zoho echoes it in every callback
    QDateTime expiry;
};

// A notification channel as Zoho reports it: one entry per module.
struct ZohoChannelInfo
{
    QString channelId;
    QString module;
    QStringList events;
    QDateTime expiry;
    QUrl notifyUrl;
};

struct ZohoListSummary
{
    int pages = 0;
    int records = 0;
    bool notModified = false; // 304/204: nothing changed since the cursor
    QDateTime maxModifiedTime;
};

} // namespace Core
