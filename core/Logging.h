#pragma once

#include <QLoggingCategory>

// Hierarchical categories, Info by default; enable more with QT_LOGGING_RULES="ml.core.*.debug=true".
Q_DECLARE_LOGGING_CATEGORY(lcHttp)
Q_DECLARE_LOGGING_CATEGORY(lcOAuth)
Q_DECLARE_LOGGING_CATEGORY(lcZoho)
Q_DECLARE_LOGGING_CATEGORY(lcOracle)
Q_DECLARE_LOGGING_CATEGORY(lcWebhook)
Q_DECLARE_LOGGING_CATEGORY(lcSync)
Q_DECLARE_LOGGING_CATEGORY(lcDb)
Q_DECLARE_LOGGING_CATEGORY(lcSecrets)
Q_DECLARE_LOGGING_CATEGORY(lcDemo)

#include "Result.h"

// For writes whose failure must not stop the work (an audit row, a cursor): say so, once.
template <typename T>
void warnIfFailed(const QLoggingCategory& category, const Core::Result<T>& result, const char* what)
{
    if (!result.ok())
        qCWarning(category).noquote() << what << "failed:" << result.error().message;
}
