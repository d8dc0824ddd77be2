#include "ConnectionCard.h"

#include <QGridLayout>
#include <QIcon>
#include <QLabel>

namespace Gui {

namespace {
QString badgeIcon(Core::ConnectionStatus::State state)
{
    switch (state) {
    case Core::ConnectionStatus::State::Connected:
        return QStringLiteral(":/icons/status-ok.svg");
    case Core::ConnectionStatus::State::Failed:
        return QStringLiteral(":/icons/status-attention.svg");
    case Core::ConnectionStatus::State::Checking:
        return QStringLiteral(":/icons/status-syncing.svg");
    case Core::ConnectionStatus::State::Unknown:
        break;
    }
    return QStringLiteral(":/icons/status-paused.svg");
}
} // namespace

ConnectionCard::ConnectionCard(const QString& title, const QString& iconPath, QWidget* parent)
    : QFrame(parent)
    , m_endpoint(new QLabel(this))
    , m_badge(new QLabel(this))
    , m_status(new QLabel(this))
    , m_detail(new QLabel(this))
{
    setFrameShape(QFrame::StyledPanel);
    setAccessibleName(title);

    auto* icon = new QLabel(this);
    icon->setPixmap(QIcon(iconPath).pixmap(40, 40));
    auto* heading = new QLabel(QStringLiteral("<b>%1</b>").arg(title.toHtmlEscaped()), this);
    QFont headingFont = heading->font();
    headingFont.setPointSizeF(headingFont.pointSizeF() * 1.3);
    heading->setFont(headingFont);

    m_endpoint->setObjectName(QStringLiteral("endpointLabel"));
    m_endpoint->setAccessibleName(tr("%1 endpoint").arg(title));
    m_endpoint->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setObjectName(QStringLiteral("statusLabel"));
    m_status->setAccessibleName(tr("%1 status").arg(title));
    m_detail->setObjectName(QStringLiteral("detailLabel"));
    m_detail->setAccessibleName(tr("%1 details").arg(title));
    m_detail->setWordWrap(true);
    m_detail->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_detail->setForegroundRole(QPalette::PlaceholderText);

    auto* layout = new QGridLayout(this);
    layout->addWidget(icon, 0, 0, 2, 1, Qt::AlignTop);
    layout->addWidget(heading, 0, 1, 1, 2);
    layout->addWidget(m_endpoint, 1, 1, 1, 2);
    layout->addWidget(m_badge, 2, 1);
    layout->addWidget(m_status, 2, 2);
    layout->addWidget(m_detail, 3, 1, 1, 2);
    layout->setColumnStretch(2, 1);
    layout->setRowStretch(4, 1);

    setStatus(Core::ConnectionStatus{Core::ConnectionStatus::State::Unknown, tr("Not checked yet"), {}});
}

void ConnectionCard::setEndpoint(const QString& endpoint)
{
    m_endpoint->setText(endpoint);
}

void ConnectionCard::setStatus(const Core::ConnectionStatus& status)
{
    m_state = status.state;
    m_badge->setPixmap(QIcon(badgeIcon(status.state)).pixmap(16, 16));
    m_status->setText(status.summary);
    m_detail->setText(status.detail);
}

QString ConnectionCard::statusText() const
{
    return m_status->text();
}

QString ConnectionCard::endpointText() const
{
    return m_endpoint->text();
}

} // namespace Gui
