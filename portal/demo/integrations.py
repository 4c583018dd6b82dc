"""Demo integrations: the seven provinces connected to QLVB by 28/04/2026, others under way, and the utilities of
letter 003 where a few provinces have started (as of early February 2026 most had not)."""
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from portal.core.extensions import db
from portal.integrations.models import Integration
from portal.integrations.services import IntegrationUpdate, kind_by_key, update

VIETNAM = timezone(timedelta(hours=7))
# The seven provinces the ministry reported connected to QLVB by 28/04/2026 (letter 000).
CONNECTED_BY_APRIL = (24, 38, 11, 42, 44, 96, 52)
QLVB_UNDER_WAY = {1: "testing", 79: "configuring", 40: "configuring", 31: "testing", 48: "blocked"}
UTILITIES = {  # kind key -> {province code: status}
    "population_db": {1: "live", 79: "testing", 31: "configuring", 48: "info_sent", 40: "info_sent"},
    "sms_brandname": {1: "info_sent", 79: "info_sent"},
    "central_payment": {1: "configuring", 79: "blocked"},
    "e_invoice": {79: "info_sent"},
}
REASONS = {"qlvb": "Chờ nhà cung cấp cập nhật giao diện kết nối",
           "central_payment": "Chưa có tài khoản chuyên thu của Kho bạc cho đơn vị"}


def load_demo_integrations() -> int:
    """Once: QLVB connected in seven provinces between March and 28/04/2026, the rest as above."""
    if db.session.scalar(select(func.count()).select_from(Integration)):
        return 0
    qlvb = kind_by_key("qlvb")
    software = {"software": "Phần mềm quản lý văn bản và điều hành", "vendor": "VNPT"}
    for number, code in enumerate(CONNECTED_BY_APRIL):
        started = datetime(2026, 2, 2, 9, tzinfo=VIETNAM) + timedelta(days=number * 3)
        for status, at in (("info_sent", started), ("configuring", started + timedelta(days=5)),
                           ("testing", started + timedelta(days=20)),
                           ("live", datetime(2026, 3, 16, 10, tzinfo=VIETNAM) + timedelta(days=number * 6))):
            update(None, code, qlvb, IntegrationUpdate(status=status, **software), at=at)
    changed = len(CONNECTED_BY_APRIL)
    plan = {"qlvb": QLVB_UNDER_WAY, **UTILITIES}
    for key, provinces in plan.items():
        kind = kind_by_key(key)
        for code, status in provinces.items():
            reason = REASONS.get(key, "") if status == "blocked" else ""
            update(None, code, kind, IntegrationUpdate(status=status, reason=reason,
                                                       software=software["software"] if key == "qlvb" else ""),
                   at=datetime(2026, 2, 6, 9, tzinfo=VIETNAM))
            changed += 1
    return changed
