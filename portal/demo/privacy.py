"""Demo requests about personal data, so that the admins' queue and the dashboard's deadline panel show something:
a correction acknowledged thirteen working days ago (its deadline near) and an objection received today."""
from datetime import timedelta

from sqlalchemy import func, select

from portal.core import clock
from portal.core.queue import VIETNAM
from portal.core.extensions import db
from portal.privacy.models import PrivacyRequest
from portal.privacy.requests import start_clock

REQUESTS = (  # (account e-mail, kind, working days ago, detail)
    ("commune.nghean@demo.tthc.vn", "correction", 13, "Chức vụ của tôi đã đổi thành Phó Chủ tịch UBND xã."),
    ("viewer@demo.tthc.vn", "objection", 0, "Tôi không muốn nhận thư nhắc lịch tập huấn."),
)


def load_demo_privacy(accounts: list) -> int:
    """Once, in one transaction; the times follow the portal's clock."""
    if db.session.scalar(select(func.count()).select_from(PrivacyRequest)):
        return 0
    by_email = {user.email: user for user in accounts}
    now = clock.now()
    for email, kind, days_ago, detail in REQUESTS:
        user = by_email[email]
        today = now.astimezone(VIETNAM).date()
        received = now - (today - clock.add_working_days(today, -days_ago))
        request = PrivacyRequest(kind=kind, user_id=user.id, email=user.email, detail=detail)
        start_clock(request, received)
        if days_ago:
            request.status, request.acknowledged_at = "acknowledged", received + timedelta(hours=3)
        db.session.add(request)
    db.session.commit()
    return len(REQUESTS)
