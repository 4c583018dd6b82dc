"""The public support directory: the ministry's contacts and, per province, its agents and channels.

Phone numbers are stored as their author typed them ("0238 3 844 556"): the directory shows them so, and only
validation and tel: links read them as E.164. Rows stored as E.164 before that keep being shown grouped.
"""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.orm import joinedload

from portal.auth.models import User
from portal.core.errors import DomainError
from portal.core.extensions import db
from portal.support.models import ProvinceAgent, ProvinceChannel, SupportAgent, SupportContact
from portal.units.models import Province
from portal.util.validators import phone_as_typed

# The ministry's support contacts named in its letters; admins edit the list on the directory page.
LETTER_CONTACTS = (
    ("Nguyễn Minh Sơn", "Phó Giám đốc Trung tâm Chuyển đổi số VHTTDL", "0976 953 686"),
    ("Lê Mạnh Hùng", "Phó Giám đốc Trung tâm Chuyển đổi số VHTTDL", "0905 188 881"),
    ("Nguyễn Kim Oanh", "Phụ trách Phòng Công nghệ và Nền tảng số", "0915 001 788"),
    ("Dương Anh Quân", "Phụ trách Hạ tầng số và An toàn thông tin", "0915 091 580"),
)
PHONE_MESSAGE = _l("Enter a Vietnamese phone number: a 10-digit mobile (0912 345 678) or a landline with its area code.")


@dataclass(frozen=True)
class DirectoryAgent:
    """What the directory publishes of an agent: name, work e-mail (their account's) and work phone as typed."""

    name: str
    email: str
    work_phone: str


@dataclass(frozen=True)
class DirectoryRow:
    province: Province
    agents: dict  # role (primary, backup) -> DirectoryAgent
    channel: ProvinceChannel | None


def typed_phone_or_error(text: str, field: str) -> str:
    """The number as typed, "" for none; a DomainError on the field when it is not a Vietnamese phone."""
    if not (text or "").strip():
        return ""
    typed = phone_as_typed(text)
    if typed is None:
        raise DomainError(PHONE_MESSAGE, field=field)
    return typed


def contacts() -> list[SupportContact]:
    return db.session.execute(select(SupportContact).order_by(SupportContact.position, SupportContact.id)).scalars().all()


def add_contact(name: str, role: str, phone: str, email: str) -> SupportContact:
    name = " ".join(name.split())
    if not name:
        raise DomainError(_l("Enter the full name."), field="name")
    contact = SupportContact(name=name[:200], role=" ".join(role.split())[:200],
                             phone=typed_phone_or_error(phone, "phone"), email=email.strip()[:254],
                             position=len(contacts()))
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
        db.session.add(SupportContact(name=name, role=role, phone=phone_as_typed(phone), position=position))
    db.session.commit()
    return len(LETTER_CONTACTS)


def save_channel(province_code: int, hotline: str, meeting_url: str, zalo_url: str) -> ProvinceChannel:
    typed = typed_phone_or_error(hotline, "hotline")
    for link in (meeting_url, zalo_url):
        if link.strip() and (not link.strip().startswith("https://") or len(link.strip()) > 500):
            raise DomainError(_l("Give an https:// link."))
    channel = db.session.get(ProvinceChannel, province_code) or ProvinceChannel(province_code=province_code)
    channel.hotline, channel.meeting_url, channel.zalo_url = typed, meeting_url.strip(), zalo_url.strip()
    db.session.add(channel)
    db.session.commit()
    return channel


def work_phones(agent_ids) -> dict[int, str]:
    """Each agent's work phone as typed, in one query."""
    rows = db.session.execute(select(SupportAgent.user_id, SupportAgent.work_phone)
                              .where(SupportAgent.user_id.in_(list(agent_ids))))
    return {user_id: phone for user_id, phone in rows}


def set_work_phones(phones: dict[int, str]) -> None:
    """Agents' work phones (agent id -> the number as typed, "" to remove), all checked before any is written."""
    typed = {agent_id: typed_phone_or_error(text, f"work_phone-{agent_id}") for agent_id, text in phones.items()}
    agents = set(db.session.execute(select(User.id).where(User.id.in_(list(typed)), User.role == "agent")).scalars())
    for agent_id, phone in typed.items():
        if agent_id not in agents:
            continue
        status = db.session.get(SupportAgent, agent_id) or SupportAgent(user_id=agent_id)
        status.work_phone = phone
        db.session.add(status)
    db.session.commit()


def province_rows() -> list[DirectoryRow]:
    """Every province with its agents by role and its channels, in three queries whatever the number of agents."""
    assignments = (select(ProvinceAgent, SupportAgent.work_phone)
                   .outerjoin(SupportAgent, SupportAgent.user_id == ProvinceAgent.agent_id)
                   .options(joinedload(ProvinceAgent.agent)))
    agents: dict = {}
    for row, phone in db.session.execute(assignments):
        agents.setdefault(row.province_code, {})[row.role] = DirectoryAgent(
            row.agent.full_name or row.agent.email, row.agent.email, phone or "")
    channels = {c.province_code: c for c in db.session.execute(select(ProvinceChannel)).scalars()}
    return [DirectoryRow(p, agents.get(p.code, {}), channels.get(p.code))
            for p in db.session.execute(select(Province).order_by(Province.code)).scalars()]


def jump(rows: list[DirectoryRow], chosen: str) -> list[DirectoryRow]:
    """The row of the province a visitor jumped to (its code as the query string carries it), else every row."""
    return [row for row in rows if str(row.province.code) == chosen] or rows


def hotline_for(province_code: int | None) -> tuple[str, str] | None:
    """Where to call for help: (who answers, the number as typed), the province's hotline before the ministry's.

    Empty help pages point here, so that someone who found no answer still has a number to call.
    """
    if province_code is not None:
        channel = db.session.get(ProvinceChannel, province_code)
        if channel is not None and channel.hotline:
            return db.session.get(Province, province_code).name, channel.hotline
    contact = db.session.execute(select(SupportContact).where(SupportContact.phone != "")
                                 .order_by(SupportContact.position, SupportContact.id).limit(1)).scalar_one_or_none()
    return (contact.name, contact.phone) if contact else None
