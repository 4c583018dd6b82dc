"""Small helpers that create test data with sensible defaults."""
import itertools

from sqlalchemy import select

from portal.auth.services import create_user as create_account
from portal.extensions import db
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
