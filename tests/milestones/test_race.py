"""Two admins add a key date on the same day at the same moment: one row, and a clear refusal for the others.

Real, separate connections (not the rolled-back test transaction), cleaned up after.
"""
import threading
from datetime import date

import pytest
from sqlalchemy import delete, func, select

from portal.audit.models import AuditEvent
from portal.core.errors import DomainError
from portal.core.extensions import db
from portal.milestones.models import Milestone
from portal.milestones.services import MilestoneInput, save

DAY = date(2026, 9, 2)
BARRIER_TIMEOUT = 10


@pytest.fixture
def clean_milestones(app):
    yield
    with app.app_context():
        ids = select(Milestone.id).where(Milestone.day == DAY)
        targets = [f"milestone:{found}" for found in db.session.execute(ids).scalars()]
        db.session.execute(delete(AuditEvent).where(AuditEvent.target.in_(targets)))
        db.session.execute(delete(Milestone).where(Milestone.day == DAY))
        db.session.commit()
        db.session.remove()


def test_concurrent_additions_on_one_day_leave_one_row(app, clean_milestones):
    attempts = 4
    barrier = threading.Barrier(attempts)
    outcomes = [None] * attempts

    def attempt(number: int):
        with app.app_context():
            try:
                barrier.wait(BARRIER_TIMEOUT)
                save(None, None, MilestoneInput(day=DAY, title_vi=f"Quốc khánh {number}"))
                outcomes[number] = "saved"
            except DomainError as error:
                outcomes[number] = error.field
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes) == ["day", "day", "day", "saved"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(Milestone.day == DAY)) == 1
        saved = db.session.execute(select(Milestone.id).where(Milestone.day == DAY)).scalar_one()
        events = db.session.scalar(select(func.count()).where(AuditEvent.target == f"milestone:{saved}"))
        assert events == 1  # the refused attempts left no audit event behind
        db.session.remove()
