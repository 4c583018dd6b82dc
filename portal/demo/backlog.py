"""Demo dossiers waiting for an account: letter 003's figures (06/02/2026), an earlier figure so that the change
shows, and a few account requests in Hà Nội and Nghệ An so that the dashboard marks provinces with both waiting."""
from datetime import date

from sqlalchemy import func, select

from portal.accounts.models import AccountRequest
from portal.accounts.services import add_request
from portal.backlog.models import BacklogReport
from portal.core.extensions import db
from portal.core.models_base import utcnow

LETTER_003_DAY = date(2026, 2, 6)
LETTER_003 = {1: 270, 25: 45, 40: 13}  # Hà Nội, Phú Thọ, Nghệ An: dossiers not taken in for lack of an account
EARLIER_DAY = date(2026, 1, 30)
EARLIER = {1: 312, 25: 38, 40: 21}  # made up for the demo, a week before the letter's figures
NOTE = "Số liệu theo Văn bản 1040/TCT ngày 07/02/2026"
REQUESTS = (  # (coordinator's e-mail, person, unit, granted?) with made-up numbers
    ("coordinator.hanoi@demo.tthc.vn", "Vũ Thị Thu", "UBND phường Ba Đình", False),
    ("coordinator.hanoi@demo.tthc.vn", "Ngô Văn Bình", "UBND xã Sóc Sơn", True),
    ("coordinator.nghean@demo.tthc.vn", "Hồ Thị Lan", "UBND xã Diễn Châu", False),
    ("coordinator.nghean@demo.tthc.vn", "Phan Văn Đức", "Sở Tư pháp", False),
    ("coordinator.nghean@demo.tthc.vn", "Lê Thị Mai", "UBND phường Vinh Phú", True),
)


def load_demo_backlog(accounts: list) -> int:
    """Once: the figures above, recorded as of their day (the service refuses a day after the portal's clock,
    which in tests is January 2026), and the account requests, two of them granted; one transaction."""
    if db.session.scalar(select(func.count()).select_from(BacklogReport)):
        return 0
    for day, figures in ((EARLIER_DAY, EARLIER), (LETTER_003_DAY, LETTER_003)):
        for code, dossiers in figures.items():
            db.session.add(BacklogReport(province_code=code, as_of=day, dossiers=dossiers,
                                         note=NOTE if day == LETTER_003_DAY else "", source="portal"))
    by_email = {user.email: user for user in accounts}
    admin = next(user for user in accounts if user.role == "admin")
    if not db.session.scalar(select(func.count()).select_from(AccountRequest)):
        for number, (coordinator, name, unit, granted) in enumerate(REQUESTS, start=1):
            request = add_request(by_email[coordinator], {
                "full_name": name, "unit": unit, "phone": f"09120000{number:02d}",
                "email": f"demo.request{number}@demo.tthc.vn", "cccd": f"0401900000{number:02d}",
                "procedures": "Tiếp nhận hồ sơ"}, commit=False)
            if granted:
                request.status, request.decided_by_id, request.decided_at = "granted", admin.id, utcnow()
    db.session.commit()
    return len(EARLIER) + len(LETTER_003)
