"""Demo data: one account per role, and focal contacts registered across the country in January 2026."""
import random
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, insert, select

from portal.auth.models import User
from portal.auth.services import create_user
from portal.core.extensions import db
from portal.contacts.models import Contact, ContactChange
from portal.contacts.services import Seat
from portal.demo import people
from portal.units.models import Commune, Province
from portal.units.services import split_department

DEMO_PASSWORD = "demo-tthc-2026"
NGHE_AN = 40
DEMO_ACCOUNTS = (
    ("admin@demo.tthc.vn", "admin", "Nguyễn Văn Quản"),
    ("coordinator.nghean@demo.tthc.vn", "coordinator", "Trần Thị Điều Phối"),
    ("commune.nghean@demo.tthc.vn", "commune_admin", "Lê Văn Xã"),
    ("coordinator.hanoi@demo.tthc.vn", "coordinator", "Phạm Thị Hà"),
    ("trainer@demo.tthc.vn", "trainer", "Đỗ Minh Giảng"),
    ("trainer2@demo.tthc.vn", "trainer", "Vũ Thu Hằng"),
    ("trainer3@demo.tthc.vn", "trainer", "Ngô Quốc Bảo"),
    ("trainer4@demo.tthc.vn", "trainer", "Lương Thị Mỹ"),
    ("trainer5@demo.tthc.vn", "trainer", "Trịnh Văn Khải"),
    ("trainer6@demo.tthc.vn", "trainer", "Mai Ngọc Diệp"),
    ("agent@demo.tthc.vn", "agent", "Hoàng Thị Hỗ Trợ"),
    ("agent2@demo.tthc.vn", "agent", "Phan Văn Trực"),
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


# Share of communes with an administrator by province; Nghệ An matches the example (118 of 130).
NGHE_AN_REGISTERED = 118
SPLIT_PROVINCES = (1, 79)  # Hà Nội and TP Hồ Chí Minh have a Sở VH&TT and a Sở DL
VIETNAM = timezone(timedelta(hours=7))
FIRST_ENTRY = datetime(2026, 1, 5, 8, 0, tzinfo=VIETNAM)
DEADLINE = datetime(2026, 1, 16, 23, 59, tzinfo=VIETNAM)


def entry_time(rng: random.Random, late: bool) -> datetime:
    """A working-hours instant in January 2026: before the deadline, or in the week after it."""
    start, days = (DEADLINE + timedelta(minutes=1), 9) if late else (FIRST_ENTRY, 11)
    moment = start + timedelta(days=rng.randrange(days), hours=rng.randrange(9), minutes=rng.randrange(60))
    return moment.astimezone(timezone.utc)


def contact_row(rng, number, kind, province, unit_code, seat, domain, positions, late) -> dict:
    name = people.full_name(rng)
    at = entry_time(rng, late)
    return {
        "kind": kind, "province_code": province.code, "seat": seat,
        "department_id": unit_code if kind == "department" else None,
        "commune_code": unit_code if kind == "commune" else None,
        "full_name": name, "position": rng.choice(positions), "unit_name": "",
        "phone": people.mobile(number), "email": people.email(name, number, domain),
        "notice_version": "2026-01", "consent_at": at, "is_late": late, "is_shared_person_allowed": False,
        "version": 1, "created_at": at, "updated_at": at,
    }


def demo_share(province: Province) -> float:
    """60% to 100% of communes registered, varying by province; Nghệ An has 118 of its 130."""
    if province.code == NGHE_AN:
        return NGHE_AN_REGISTERED / 130
    return min(1.0, 0.6 + (province.code % 5) / 10)


def fill_contacts(share, seed: int = 2026) -> int:
    """Register cadres and commune administrators in bulk (one insert per table); return how many.

    :param share: the fraction of a province's communes that get an administrator (1.0 fills them all).
    """
    rng = random.Random(seed)
    rows, number = [], 0
    provinces = db.session.execute(select(Province).order_by(Province.code)).scalars().all()
    communes = db.session.execute(select(Commune).order_by(Commune.code)).scalars().all()
    by_province: dict[int, list[Commune]] = {}
    for commune in communes:
        by_province.setdefault(commune.province_code, []).append(commune)
    for province in provinces:
        domain = f"{province.codename.replace('_', '')}.gov.vn"
        for department in province.departments:
            for seat in (1, 2):
                number += 1
                rows.append(contact_row(rng, number, "department", province, department.id, seat, domain,
                                        people.DEPARTMENT_POSITIONS, late=rng.random() < 0.1))
        listed = by_province.get(province.code, [])
        for commune in rng.sample(listed, round(len(listed) * share(province))):
            number += 1
            rows.append(contact_row(rng, number, "commune", province, commune.code, 1, domain,
                                    people.COMMUNE_POSITIONS, late=rng.random() < 0.08))
    db.session.execute(insert(Contact), rows)
    history = []
    for row in rows:
        seat = Seat(row["kind"], row["province_code"], row["department_id"], row["seat"], row["commune_code"])
        history.append({"seat_key": seat.key, "province_code": seat.province_code, "action": "create",
                        "at": row["created_at"], "changes": {"full_name": ["", row["full_name"]]}})
    db.session.execute(insert(ContactChange), history)
    return len(rows)


def load_demo_contacts() -> int:
    """Split two provinces' departments and register January 2026's contacts, once (0 when already there)."""
    if db.session.scalar(select(func.count(Contact.id))):
        return 0
    for code in SPLIT_PROVINCES:
        province = db.session.get(Province, code)
        if {d.kind for d in province.departments} == {"vhttdl"}:
            split_department(province)
    count = fill_contacts(demo_share)
    register_demo_commune_admins()
    db.session.commit()
    return count


def register_demo_commune_admins() -> None:
    """A demo commune administrator is their commune's registered administrator, so "Dữ liệu của tôi" finds
    their own contact entry (matched by e-mail) and they can correct it."""
    for user in db.session.execute(select(User).where(User.role == "commune_admin")).scalars():
        contact = db.session.execute(select(Contact).where(
            Contact.kind == "commune", Contact.commune_code == user.commune_code)).scalar_one_or_none()
        if contact is not None:
            contact.full_name, contact.email = user.full_name, user.email
