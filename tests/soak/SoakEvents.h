#pragma once

// Zoho users at work: creates and edits of contacts and accounts through the simulator's control API
// (each fires the notification callbacks of the enabled channels), drawn from a seeded generator.

#include <QHash>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QString>
#include <QStringList>

namespace SimTest {
class Client;
}

namespace Soak {

struct EventCounts
{
    int creates = 0;
    int edits = 0;
    int whileDown = 0;   // of the above, sent while serve was dead (only polling can find them)
    int badVersions = 0; // creates or edits that leave a record the mapper must reject
    int refused = 0;     // control-API calls that did not succeed (a soak failure of its own)
    int total() const { return creates + edits; }
};

class EventDriver
{
public:
    EventDriver(SimTest::Client& control, quint32 seed);

    // Reads the ids of the seeded records; false when the simulator does not answer.
    bool loadIds();
    // One random create or edit; `serveDown` only counts where it happened.
    void sendOne(bool serveDown);
    void sendEdit(bool serveDown);
    const EventCounts& counts() const { return m_counts; }

private:
    void create(const QString& module, bool serveDown);
    void edit(const QString& module, bool serveDown);
    bool send(const QByteArray& method, const QString& path, const QJsonObject& body, QString* createdId);
    QString pick(const QStringList& from);
    QString token();

    SimTest::Client& m_control;
    QRandomGenerator m_rng;
    QHash<QString, QStringList> m_ids; // module -> ids
    int m_serial = 0;
    EventCounts m_counts;
};

} // namespace Soak
