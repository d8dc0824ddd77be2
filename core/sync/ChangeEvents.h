#pragma once

#include <QDateTime>
#include <QString>

namespace Core {

class ChannelManager;
class Poller;
class WebhookReceiver;

// What the change-detection side (webhook receiver, poller) writes into the outbox, in one place so
// both sides and the engine agree on it.
namespace ChangeEvents {

QString kind();          // "zoho_change"
QString webhookSource(); // "webhook"
QString pollSource();    // "poll"

// A callback names a change by its server time: "zoho:<module>:<id>:<server_time ms>".
QString webhookDedupeKey(const QString& module, const QString& id, qint64 serverTimeMs);
// A poll names it by the record's Modified_Time as Zoho sent it: "zoho:<module>:<id>:<Modified_Time>".
QString pollDedupeKey(const QString& module, const QString& id, const QString& modifiedTime);
// The CursorStore name of a module's poll watermark: "poll:<module>".
QString pollCursorName(const QString& module);

// Zoho ids and channel ids are digit strings; anything else in a callback is not Zoho's.
bool isZohoId(const QString& text);
// Module API names: letters, digits and underscores.
bool isModuleName(const QString& text);

} // namespace ChangeEvents

// Wires the three together: accepted callbacks feed the channel manager's "last event" time, a
// channel that falls back to polling (or comes back after a gap) makes the poller catch up from
// there, and fallback modules are polled at the shorter fallback interval. Any may be null.
void connectChangeDetection(WebhookReceiver* receiver, ChannelManager* channels, Poller* poller);

} // namespace Core
