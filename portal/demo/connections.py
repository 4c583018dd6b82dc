"""Demo QLVB connections: the seven provinces connected by 28/04/2026, and others under way."""
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from portal.connections.models import QlvbConnection
from portal.connections.services import CONNECTED_BY_APRIL, update
from portal.core.extensions import db

VIETNAM = timezone(timedelta(hours=7))
UNDER_WAY = {1: "testing", 79: "in_progress", 40: "in_progress", 31: "testing", 48: "blocked"}


def load_demo_connections() -> int:
    """Once: the seven connected between March and 28/04/2026, five others in progress, testing or blocked."""
    if db.session.scalar(select(func.count()).select_from(QlvbConnection)):
        return 0
    for number, code in enumerate(CONNECTED_BY_APRIL):
        started = datetime(2026, 2, 2, 9, tzinfo=VIETNAM) + timedelta(days=number * 3)
        update(None, code, "Phần mềm quản lý văn bản và điều hành", "VNPT", "", "", "", "in_progress", at=started)
        update(None, code, "Phần mềm quản lý văn bản và điều hành", "VNPT", "", "", "", "testing",
               at=started + timedelta(days=20))
        update(None, code, "Phần mềm quản lý văn bản và điều hành", "VNPT", "", "", "", "connected",
               at=datetime(2026, 3, 16, 10, tzinfo=VIETNAM) + timedelta(days=number * 6))
    for code, status in UNDER_WAY.items():
        reason = "Chờ nhà cung cấp cập nhật giao diện kết nối" if status == "blocked" else ""
        update(None, code, "Phần mềm quản lý văn bản", "Viettel", "", "", "", status, reason,
               at=datetime(2026, 4, 6, 9, tzinfo=VIETNAM))
    return len(CONNECTED_BY_APRIL) + len(UNDER_WAY)
