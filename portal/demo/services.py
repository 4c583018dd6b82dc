"""The demo accounts, one per role, scoped to Nghệ An where a role needs a province."""
from sqlalchemy import select

from portal.auth.models import User
from portal.auth.services import create_user
from portal.extensions import db
from portal.units.models import Commune

DEMO_PASSWORD = "demo-tthc-2026"
NGHE_AN = 40
DEMO_ACCOUNTS = (
    ("admin@demo.tthc.vn", "admin", "Nguyễn Văn Quản"),
    ("coordinator.nghean@demo.tthc.vn", "coordinator", "Trần Thị Điều Phối"),
    ("commune.nghean@demo.tthc.vn", "commune_admin", "Lê Văn Xã"),
    ("coordinator.hanoi@demo.tthc.vn", "coordinator", "Phạm Thị Hà"),
    ("trainer@demo.tthc.vn", "trainer", "Đỗ Minh Giảng"),
    ("agent@demo.tthc.vn", "agent", "Hoàng Thị Hỗ Trợ"),
    ("viewer@demo.tthc.vn", "viewer", "Vũ Văn Xem"),
)


def demo_scope(email: str, role: str) -> tuple[int | None, int | None]:
    if role == "coordinator":
        return (1 if "hanoi" in email else NGHE_AN), None
    if role == "commune_admin":
        first = db.session.execute(
            select(Commune.code)
            .where(Commune.province_code == NGHE_AN, Commune.kind == "xa")
            .order_by(Commune.sort_key)
            .limit(1)
        ).scalar_one()
        return NGHE_AN, first
    return None, None


def load_demo_accounts() -> list[User]:
    """Create the demo accounts that do not exist yet (idempotent); return all of them."""
    existing = {u.email: u for u in db.session.execute(select(User)).scalars()}
    accounts = []
    for email, role, name in DEMO_ACCOUNTS:
        user = existing.get(email)
        if user is None:
            province_code, commune_code = demo_scope(email, role)
            user = create_user(email, role, province_code, commune_code, name, password=DEMO_PASSWORD)
        accounts.append(user)
    db.session.commit()
    return accounts
