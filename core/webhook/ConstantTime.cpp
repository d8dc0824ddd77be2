#include "webhook/ConstantTime.h"

namespace Core {

bool constantTimeEquals(const QByteArray& a, const QByteArray& b)
{
    // Walk the longer input in full and fold every difference (length included) into one value:
    // no early exit, no data-dependent branch.
    const qsizetype n = qMax(a.size(), b.size());
    quint64 diff = quint64(a.size()) ^ quint64(b.size());
    for (qsizetype i = 0; i < n; ++i) {
        const auto x = i < a.size() ? quint8(a.at(i)) : quint8(0);
        const auto y = i < b.size() ? quint8(b.at(i)) : quint8(0);
        diff |= quint64(x ^ y);
    }
    return diff == 0;
}

} // namespace Core
