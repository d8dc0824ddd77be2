#pragma once

#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace Sim {

enum class OracleAttrType { String, Number, DateTime, Date, Boolean };
using OracleAttrTypes = QHash<QString, OracleAttrType>;

// The ADF `q` row filter. Version 1 is query-by-example (`PartyNumber=CDRM_1;Country=US`);
// version 2+ is the expression language (`SourceSystem='ZOHOCRM' and (A>'x' or B LIKE 'y%')`,
// with =, !=, <>, <, <=, >, >=, LIKE, IN, BETWEEN, IS [NOT] NULL, NOT, parentheses).
// Also used for finders, which are equality conditions.
class OracleQuery final
{
public:
    OracleQuery();

    // nullptr query is "match everything". Returns false and sets error on a syntax problem or
    // an unknown attribute.
    bool parse(const QString& q, int frameworkVersion, const OracleAttrTypes& attrs, QString& error);
    // Adds attr = value (finder variables); the attribute must exist.
    bool addEquality(const QString& attr, const QString& value, const OracleAttrTypes& attrs, QString& error);

    bool matches(const QJsonObject& item) const;
    // attr -> literal for equality conditions that must all hold (top-level AND), for index lookups.
    QHash<QString, QString> requiredEqualities() const;
    bool isEmpty() const { return m_roots.empty(); }

    struct Node;

private:
    std::vector<std::shared_ptr<Node>> m_roots; // AND-ed together
};

} // namespace Sim
