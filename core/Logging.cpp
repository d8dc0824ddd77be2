#include "Logging.h"

Q_LOGGING_CATEGORY(lcHttp, "ml.core.http", QtInfoMsg)
Q_LOGGING_CATEGORY(lcOAuth, "ml.core.oauth", QtInfoMsg)
Q_LOGGING_CATEGORY(lcZoho, "ml.core.zoho", QtInfoMsg)
Q_LOGGING_CATEGORY(lcOracle, "ml.core.oracle", QtInfoMsg)
Q_LOGGING_CATEGORY(lcWebhook, "ml.core.webhook", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSync, "ml.core.sync", QtInfoMsg)
Q_LOGGING_CATEGORY(lcDb, "ml.core.db", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSecrets, "ml.core.secrets", QtInfoMsg)
Q_LOGGING_CATEGORY(lcDemo, "ml.core.demo", QtInfoMsg)
