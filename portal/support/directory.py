"""The public support directory: the ministry's contacts and, per province, its agents and channels."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.orm import joinedload

from portal.core.errors import DomainError
from portal.core.extensions import db
from portal.support.models import ProvinceAgent, ProvinceChannel, SupportContact
from portal.units.models import Province
from portal.util.validators import display_phone, parse_phone

# The ministry's support contacts named in its letters; admins edit the list on the directory page.
LETTER_CONTACTS = (
    ("Nguyễn Minh Sơn", "Phó Giám đốc Trung tâm Chuyển đổi số VHTTDL", "0976953686"),
    ("Lê Mạnh Hùng", "Phó Giám đốc Trung tâm Chuyển đổi số VHTTDL", "0905188881"),
    ("Nguyễn Kim Oanh", "Phụ trách Phòng Công nghệ và Nền tảng số", "0915001788"),
    ("Dương Anh Quân", "Phụ trách Hạ tầng số và An toàn thông tin", "0915091580"),
)


def contacts() -> list[SupportContact]:
    return db.session.execute(select(SupportContact).order_by(SupportContact.position, SupportContact.id)).scalars().all()


def add_contact(name: str, role: str, phone: str, email: str) -> SupportContact:
    name = " ".join(name.split())
    if not name:
        raise DomainError(_l("Enter the full name."), field="name")
    stored_phone = parse_phone(phone) if phone.strip() else ""
    if stored_phone is None:
        raise DomainError(_l("Enter a Vietnamese phone number: a 10-digit mobile (0912 345 678) or a landline with its area code."), field="phone")
    contact = SupportContact(name=name[:200], role=" ".join(role.split())[:200], phone=stored_phone or "",
                             email=email.strip()[:254], position=len(contacts()))
    db.session.add(contact)
    db.session.commit()
    return contact


def remove_contact(contact_id: int) -> None:
    db.session.execute(delete(SupportContact).where(SupportContact.id == contact_id))
    db.session.commit()


def load_letter_contacts() -> int:
    """The contacts from the ministry's letter, once (for the demo and a first installation)."""
    if contacts():
        return 0
    for position, (name, role, phone) in enumerate(LETTER_CONTACTS):
        db.session.add(SupportContact(name=name, role=role, phone=parse_phone(phone), position=position))
    db.session.commit()
    return len(LETTER_CONTACTS)


def save_channel(province_code: int, hotline: str, meeting_url: str, zalo_url: str) -> ProvinceChannel:
    hotline_e164 = parse_phone(hotline) if hotline.strip() else ""
    if hotline_e164 is None:
        raise DomainError(_l("Enter a Vietnamese phone number: a 10-digit mobile (0912 345 678) or a landline with its area code."), field="hotline")
    for link in (meeting_url, zalo_url):
        if link.strip() and (not link.strip().startswith("https://") or len(link.strip()) > 500):
            raise DomainError(_l("Give an https:// link."))
    channel = db.session.get(ProvinceChannel, province_code) or ProvinceChannel(province_code=province_code)
    channel.hotline, channel.meeting_url, channel.zalo_url = hotline_e164 or "", meeting_url.strip(), zalo_url.strip()
    db.session.add(channel)
    db.session.commit()
    return channel


def province_rows() -> list[tuple[Province, dict, ProvinceChannel | None]]:
    """Every province with its agents by role and its channels, in three queries."""
    provinces = db.session.execute(select(Province).order_by(Province.code)).scalars().all()
    agents: dict = {}
    for row in db.session.execute(select(ProvinceAgent).options(joinedload(ProvinceAgent.agent))).scalars():
        agents.setdefault(row.province_code, {})[row.role] = row.agent
    channels = {c.province_code: c for c in db.session.execute(select(ProvinceChannel)).scalars()}
    return [(p, agents.get(p.code, {}), channels.get(p.code)) for p in provinces]


def shown_phone(e164: str) -> str:
    return display_phone(e164) if e164 else ""
