"""Small helpers that create test data with sensible defaults."""
import itertools
from datetime import datetime

from sqlalchemy import select

from portal.auth.services import create_user as create_account
from portal.core.extensions import db
from portal.training.services import SessionInput
from portal.units.models import Commune

NGHE_AN = 40
HA_NOI = 1
HO_CHI_MINH = 79
_sequence = itertools.count(1)


def first_commune(province_code: int) -> Commune:
    return db.session.execute(
        select(Commune).where(Commune.province_code == province_code).order_by(Commune.code).limit(1)
    ).scalar_one()


def create_user(role: str = "admin", province_code: int | None = None, commune_code: int | None = None,
                password: str | None = None, email: str | None = None, full_name: str = "Người Thử"):
    """An account; local roles default to Nghệ An (its first commune for commune administrators)."""
    if role == "coordinator" and province_code is None:
        province_code = NGHE_AN
    if role == "commune_admin" and commune_code is None:
        commune_code = first_commune(province_code or NGHE_AN).code
    user = create_account(
        email or f"user{next(_sequence)}@test.vn", role, province_code, commune_code, full_name, password=password
    )
    db.session.commit()
    return user


def person(number: int = 1, **overrides) -> dict:
    """A focal contact's fields as a form would send them, distinct for each number."""
    values = {
        "full_name": f"Nguyễn Văn Thử {number}",
        "position": "Chuyên viên",
        "unit_name": "Văn phòng UBND",
        "phone": f"09{number:08d}",
        "email": f"nguoi{number}@xa.gov.vn",
        "cccd": "",
    }
    values.update(overrides)
    return values


def session_input(trainer_ids, province_codes=(NGHE_AN,), day="2026-01-20", starts="08:00", ends="11:30",
                  audience="commune", capacity=50, **overrides) -> SessionInput:
    values = dict(
        title="Tập huấn quản trị hệ thống", audience=audience, mode="online",
        starts_at=datetime.fromisoformat(f"{day}T{starts}"), ends_at=datetime.fromisoformat(f"{day}T{ends}"),
        capacity=capacity, province_codes=list(province_codes), trainer_ids=list(trainer_ids),
        meeting_url="https://hop.tthc.gov.vn/phong-1",
    )
    values.update(overrides)
    return SessionInput(**values)


def png_image(width: int = 640, height: int = 480) -> bytes:
    """A real (one-colour) PNG of the given size, as a screenshot attached to a ticket would be."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\x1f\x6f\xb4" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def create_audit_event(actor, action: str = "training.cancel", target: str = "", detail: str = "",
                       at: str = "2026-01-12T00:30:00+00:00"):
    """An audit event at a given instant (the log's filters work on Vietnam days)."""
    from portal.audit.models import AuditEvent

    event = AuditEvent(actor_id=actor.id if actor else None, action=action, target=target, detail=detail,
                       address="127.0.0.1", at=datetime.fromisoformat(at))
    db.session.add(event)
    db.session.commit()
    return event
