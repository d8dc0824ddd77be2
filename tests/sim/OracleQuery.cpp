#include "OracleQuery.h"

#include "TimeUtil.h"

#include <QJsonValue>
#include <QRegularExpression>

namespace Sim {

struct OracleQuery::Node
{
    enum class Kind { And, Or, Not, Compare, Like, In, Between, IsNull, IsNotNull };
    Kind kind = Kind::Compare;
    QString attr;
    OracleAttrType type = OracleAttrType::String;
    QString op; // =, !=, <, <=, >, >=
    QStringList literals;
    std::shared_ptr<QRegularExpression> like;
    std::vector<std::shared_ptr<Node>> children;
};

namespace {
using NodePtr = std::shared_ptr<OracleQuery::Node>;
using Kind = OracleQuery::Node::Kind;

struct Token
{
    enum class Type { Word, String, Op, LParen, RParen, Comma, Semi, End };
    Type type = Type::End;
    QString text;
};

bool tokenize(const QString& s, QList<Token>& out, QString& error)
{
    int i = 0;
    const int n = s.size();
    while (i < n) {
        const QChar c = s.at(i);
        if (c.isSpace()) {
            ++i;
            continue;
        }
        if (c == QLatin1Char('\'')) {
            QString lit;
            ++i;
            bool closed = false;
            while (i < n) {
                if (s.at(i) == QLatin1Char('\'')) {
                    if (i + 1 < n && s.at(i + 1) == QLatin1Char('\'')) {
                        lit += QLatin1Char('\'');
                        i += 2;
                        continue;
                    }
                    closed = true;
                    ++i;
                    break;
                }
                lit += s.at(i++);
            }
            if (!closed) {
                error = QStringLiteral("unterminated string literal");
                return false;
            }
            out.append(Token{Token::Type::String, lit});
            continue;
        }
        if (c == QLatin1Char('(')) {
            out.append(Token{Token::Type::LParen, QStringLiteral("(")});
            ++i;
            continue;
        }
        if (c == QLatin1Char(')')) {
            out.append(Token{Token::Type::RParen, QStringLiteral(")")});
            ++i;
            continue;
        }
        if (c == QLatin1Char(',')) {
            out.append(Token{Token::Type::Comma, QStringLiteral(",")});
            ++i;
            continue;
        }
        if (c == QLatin1Char(';')) {
            out.append(Token{Token::Type::Semi, QStringLiteral(";")});
            ++i;
            continue;
        }
        if (c == QLatin1Char('=') || c == QLatin1Char('<') || c == QLatin1Char('>') || c == QLatin1Char('!')) {
            QString op(c);
            if (i + 1 < n &&
                (s.at(i + 1) == QLatin1Char('=') || (c == QLatin1Char('<') && s.at(i + 1) == QLatin1Char('>'))))
                op += s.at(++i);
            ++i;
            if (op == QLatin1String("!")) {
                error = QStringLiteral("unexpected '!'");
                return false;
            }
            if (op == QLatin1String("<>"))
                op = QStringLiteral("!=");
            out.append(Token{Token::Type::Op, op});
            continue;
        }
        // Bare word: attribute, keyword, number or unquoted literal.
        QString word;
        while (i < n) {
            const QChar w = s.at(i);
            if (w.isSpace() || w == QLatin1Char('(') || w == QLatin1Char(')') || w == QLatin1Char(',') ||
                w == QLatin1Char(';') || w == QLatin1Char('=') || w == QLatin1Char('<') || w == QLatin1Char('>') ||
                w == QLatin1Char('!') || w == QLatin1Char('\''))
                break;
            word += w;
            ++i;
        }
        out.append(Token{Token::Type::Word, word});
    }
    out.append(Token{Token::Type::End, QString()});
    return true;
}

std::shared_ptr<QRegularExpression> likeRegex(const QString& pattern)
{
    QString re = QStringLiteral("^");
    for (const QChar c : pattern) {
        if (c == QLatin1Char('%') || c == QLatin1Char('*'))
            re += QStringLiteral(".*");
        else if (c == QLatin1Char('_'))
            re += QLatin1Char('.');
        else
            re += QRegularExpression::escape(QString(c));
    }
    re += QLatin1Char('$');
    return std::make_shared<QRegularExpression>(re, QRegularExpression::DotMatchesEverythingOption);
}

class Parser
{
public:
    Parser(const QList<Token>& tokens, const OracleAttrTypes& attrs)
        : m_tokens(tokens)
        , m_attrs(attrs)
    { }

    NodePtr parseAll(QString& error)
    {
        NodePtr n = parseOr();
        if (n && peek().type != Token::Type::End)
            fail(QStringLiteral("unexpected '%1'").arg(peek().text));
        error = m_error;
        return m_error.isEmpty() ? n : nullptr;
    }

private:
    const Token& peek() const { return m_tokens.at(m_pos); }
    Token next() { return m_tokens.at(m_pos++); }
    bool isKeyword(const Token& t, const char* kw) const
    {
        return t.type == Token::Type::Word && t.text.compare(QLatin1String(kw), Qt::CaseInsensitive) == 0;
    }
    NodePtr fail(const QString& message)
    {
        if (m_error.isEmpty())
            m_error = message;
        return nullptr;
    }

    NodePtr parseOr()
    {
        NodePtr left = parseAnd();
        if (!left)
            return nullptr;
        if (!isKeyword(peek(), "or"))
            return left;
        auto node = std::make_shared<OracleQuery::Node>();
        node->kind = Kind::Or;
        node->children.push_back(left);
        while (isKeyword(peek(), "or")) {
            next();
            NodePtr right = parseAnd();
            if (!right)
                return nullptr;
            node->children.push_back(right);
        }
        return node;
    }

    NodePtr parseAnd()
    {
        NodePtr left = parseUnary();
        if (!left)
            return nullptr;
        if (!isKeyword(peek(), "and") && peek().type != Token::Type::Semi)
            return left;
        auto node = std::make_shared<OracleQuery::Node>();
        node->kind = Kind::And;
        node->children.push_back(left);
        while (isKeyword(peek(), "and") || peek().type == Token::Type::Semi) {
            next();
            NodePtr right = parseUnary();
            if (!right)
                return nullptr;
            node->children.push_back(right);
        }
        return node;
    }

    NodePtr parseUnary()
    {
        if (isKeyword(peek(), "not")) {
            next();
            NodePtr inner = parseUnary();
            if (!inner)
                return nullptr;
            auto node = std::make_shared<OracleQuery::Node>();
            node->kind = Kind::Not;
            node->children.push_back(inner);
            return node;
        }
        if (peek().type == Token::Type::LParen) {
            next();
            NodePtr inner = parseOr();
            if (!inner)
                return nullptr;
            if (peek().type != Token::Type::RParen)
                return fail(QStringLiteral("missing ')'"));
            next();
            return inner;
        }
        return parseCondition();
    }

    bool literal(QString& out)
    {
        const Token t = peek();
        if (t.type == Token::Type::String ||
            (t.type == Token::Type::Word && !isKeyword(t, "and") && !isKeyword(t, "or"))) {
            next();
            out = t.text;
            return true;
        }
        fail(QStringLiteral("a value is expected after the operator"));
        return false;
    }

    NodePtr parseCondition()
    {
        const Token attrToken = next();
        if (attrToken.type != Token::Type::Word || attrToken.text.isEmpty())
            return fail(QStringLiteral("an attribute name is expected"));
        const auto type = m_attrs.find(attrToken.text);
        if (type == m_attrs.constEnd())
            return fail(
                QStringLiteral("The attribute %1 isn't a queryable attribute of the resource").arg(attrToken.text));
        auto node = std::make_shared<OracleQuery::Node>();
        node->attr = attrToken.text;
        node->type = type.value();
        const Token op = peek();
        if (op.type == Token::Type::Op) {
            next();
            node->kind = Kind::Compare;
            node->op = op.text;
            QString lit;
            if (!literal(lit))
                return nullptr;
            node->literals.append(lit);
            return node;
        }
        if (isKeyword(op, "like")) {
            next();
            QString lit;
            if (!literal(lit))
                return nullptr;
            node->kind = Kind::Like;
            node->like = likeRegex(lit);
            return node;
        }
        if (isKeyword(op, "is")) {
            next();
            bool negate = false;
            if (isKeyword(peek(), "not")) {
                next();
                negate = true;
            }
            if (!isKeyword(peek(), "null"))
                return fail(QStringLiteral("NULL is expected after IS"));
            next();
            node->kind = negate ? Kind::IsNotNull : Kind::IsNull;
            return node;
        }
        if (isKeyword(op, "in")) {
            next();
            if (peek().type != Token::Type::LParen)
                return fail(QStringLiteral("'(' is expected after IN"));
            next();
            for (;;) {
                QString lit;
                if (!literal(lit))
                    return nullptr;
                node->literals.append(lit);
                if (peek().type == Token::Type::Comma) {
                    next();
                    continue;
                }
                break;
            }
            if (peek().type != Token::Type::RParen)
                return fail(QStringLiteral("missing ')' after the IN list"));
            next();
            node->kind = Kind::In;
            return node;
        }
        if (isKeyword(op, "between")) {
            next();
            QString lo;
            QString hi;
            if (!literal(lo))
                return nullptr;
            if (!isKeyword(peek(), "and"))
                return fail(QStringLiteral("AND is expected in BETWEEN"));
            next();
            if (!literal(hi))
                return nullptr;
            node->kind = Kind::Between;
            node->literals = {lo, hi};
            return node;
        }
        return fail(QStringLiteral("an operator is expected after %1").arg(attrToken.text));
    }

    const QList<Token>& m_tokens;
    const OracleAttrTypes& m_attrs;
    int m_pos = 0;
    QString m_error;
};

bool isNullValue(const QJsonValue& v)
{
    return v.isNull() || v.isUndefined() || (v.isString() && v.toString().isEmpty());
}

QString valueText(const QJsonValue& v)
{
    if (v.isString())
        return v.toString();
    if (v.isBool())
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (v.isDouble()) {
        const double d = v.toDouble();
        if (d == double(v.toInteger()))
            return QString::number(v.toInteger());
        return QString::number(d, 'g', 17);
    }
    return {};
}

// <0, 0, >0; ok=false when the two cannot be compared.
int compareValues(const QJsonValue& v, const QString& literal, OracleAttrType type, bool& ok)
{
    ok = true;
    switch (type) {
    case OracleAttrType::Number: {
        bool a = false;
        bool b = false;
        const QString text = valueText(v);
        const qint64 li = text.toLongLong(&a);
        const qint64 ri = literal.trimmed().toLongLong(&b);
        if (a && b)
            return li < ri ? -1 : (li > ri ? 1 : 0);
        const double ld = text.toDouble(&a);
        const double rd = literal.trimmed().toDouble(&b);
        if (!a || !b) {
            ok = false;
            return 0;
        }
        return ld < rd ? -1 : (ld > rd ? 1 : 0);
    }
    case OracleAttrType::DateTime:
    case OracleAttrType::Date: {
        const auto l = parseTime(valueText(v));
        const auto r = parseTime(literal);
        if (!l || !r) {
            ok = false;
            return 0;
        }
        return *l < *r ? -1 : (*l > *r ? 1 : 0);
    }
    case OracleAttrType::Boolean:
    case OracleAttrType::String:
        break;
    }
    const QString l = valueText(v);
    const int c = l.compare(literal);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

bool evaluate(const OracleQuery::Node& n, const QJsonObject& item)
{
    switch (n.kind) {
    case Kind::And:
        for (const auto& c : n.children) {
            if (!evaluate(*c, item))
                return false;
        }
        return true;
    case Kind::Or:
        for (const auto& c : n.children) {
            if (evaluate(*c, item))
                return true;
        }
        return false;
    case Kind::Not:
        return !evaluate(*n.children.front(), item);
    case Kind::IsNull:
        return isNullValue(item.value(n.attr));
    case Kind::IsNotNull:
        return !isNullValue(item.value(n.attr));
    default:
        break;
    }
    const QJsonValue v = item.value(n.attr);
    if (isNullValue(v))
        return false; // SQL semantics: a comparison with NULL is never true
    bool ok = false;
    switch (n.kind) {
    case Kind::Compare: {
        const int c = compareValues(v, n.literals.front(), n.type, ok);
        if (!ok)
            return false;
        if (n.op == QLatin1String("="))
            return c == 0;
        if (n.op == QLatin1String("!="))
            return c != 0;
        if (n.op == QLatin1String("<"))
            return c < 0;
        if (n.op == QLatin1String("<="))
            return c <= 0;
        if (n.op == QLatin1String(">"))
            return c > 0;
        if (n.op == QLatin1String(">="))
            return c >= 0;
        return false;
    }
    case Kind::Like:
        return n.like->match(valueText(v)).hasMatch();
    case Kind::In:
        for (const QString& lit : n.literals) {
            if (compareValues(v, lit, n.type, ok) == 0 && ok)
                return true;
        }
        return false;
    case Kind::Between: {
        const int lo = compareValues(v, n.literals.at(0), n.type, ok);
        if (!ok)
            return false;
        const int hi = compareValues(v, n.literals.at(1), n.type, ok);
        return ok && lo >= 0 && hi <= 0;
    }
    default:
        return false;
    }
}

void collectEqualities(const OracleQuery::Node& n, QHash<QString, QString>& out)
{
    if (n.kind == Kind::And) {
        for (const auto& c : n.children)
            collectEqualities(*c, out);
    } else if (n.kind == Kind::Compare && n.op == QLatin1String("=")) {
        out.insert(n.attr, n.literals.front());
    }
}

// Version 1 query-by-example: attr<op>value joined by ';', values unquoted (quotes tolerated).
NodePtr parseQbe(const QString& q, const OracleAttrTypes& attrs, QString& error)
{
    static const QRegularExpression term(
        QStringLiteral("^\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*(>=|<=|!=|<>|=|>|<)\\s*(.*?)\\s*$"));
    auto root = std::make_shared<OracleQuery::Node>();
    root->kind = Kind::And;
    const QStringList parts = q.split(QLatin1Char(';'), Qt::SkipEmptyParts);
    if (parts.isEmpty()) {
        error = QStringLiteral("the query is empty");
        return nullptr;
    }
    for (const QString& part : parts) {
        const auto m = term.match(part);
        if (!m.hasMatch()) {
            error = QStringLiteral("The query-by-example expression %1 isn't valid").arg(part.trimmed());
            return nullptr;
        }
        const auto type = attrs.find(m.captured(1));
        if (type == attrs.constEnd()) {
            error = QStringLiteral("The attribute %1 isn't a queryable attribute of the resource").arg(m.captured(1));
            return nullptr;
        }
        QString value = m.captured(3);
        if (value.size() >= 2 && value.startsWith(QLatin1Char('\'')) && value.endsWith(QLatin1Char('\'')))
            value = value.mid(1, value.size() - 2);
        auto node = std::make_shared<OracleQuery::Node>();
        node->attr = m.captured(1);
        node->type = type.value();
        QString op = m.captured(2);
        if (op == QLatin1String("<>"))
            op = QStringLiteral("!=");
        if (op == QLatin1String("=") && (value.contains(QLatin1Char('*')) || value.contains(QLatin1Char('%')))) {
            node->kind = Kind::Like;
            node->like = likeRegex(value);
        } else {
            node->kind = Kind::Compare;
            node->op = op;
            node->literals.append(value);
        }
        root->children.push_back(node);
    }
    return root;
}
} // namespace

OracleQuery::OracleQuery() = default;

bool OracleQuery::parse(const QString& q, int frameworkVersion, const OracleAttrTypes& attrs, QString& error)
{
    if (q.trimmed().isEmpty())
        return true;
    NodePtr root;
    if (frameworkVersion < 2) {
        root = parseQbe(q, attrs, error);
    } else {
        QList<Token> tokens;
        if (!tokenize(q, tokens, error))
            return false;
        Parser parser(tokens, attrs);
        root = parser.parseAll(error);
    }
    if (!root) {
        if (error.isEmpty())
            error = QStringLiteral("The query isn't valid");
        return false;
    }
    m_roots.push_back(root);
    return true;
}

bool OracleQuery::addEquality(const QString& attr, const QString& value, const OracleAttrTypes& attrs, QString& error)
{
    const auto type = attrs.find(attr);
    if (type == attrs.constEnd()) {
        error = QStringLiteral("The attribute %1 isn't valid").arg(attr);
        return false;
    }
    auto node = std::make_shared<Node>();
    node->kind = Node::Kind::Compare;
    node->attr = attr;
    node->type = type.value();
    node->op = QStringLiteral("=");
    node->literals.append(value);
    m_roots.push_back(node);
    return true;
}

bool OracleQuery::matches(const QJsonObject& item) const
{
    for (const auto& r : m_roots) {
        if (!evaluate(*r, item))
            return false;
    }
    return true;
}

QHash<QString, QString> OracleQuery::requiredEqualities() const
{
    QHash<QString, QString> out;
    for (const auto& r : m_roots)
        collectEqualities(*r, out);
    return out;
}

} // namespace Sim
