"""The rules of recording dossiers waiting for an account, and the latest figure per province."""
from datetime import date

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.backlog import services
from portal.backlog.models import BacklogReport
from portal.core.errors import DomainError
from portal.units.models import Commune
from tests import factories
from tests.factories import HA_NOI, NGHE_AN

TODAY = date(2026, 1, 12)  # the tests' clock (conftest CLOCK_NOW), a Monday in Vietnam


def rows(db) -> int:
    return db.session.scalar(select(func.count()).select_from(BacklogReport))


def test_recording_the_same_day_and_unit_again_replaces_the_figure(db, admin):
    commune = factories.first_commune(NGHE_AN)
    services.record(admin, NGHE_AN, date(2026, 1, 5), 20, note="Chưa có tài khoản một cửa")
    services.record(admin, NGHE_AN, date(2026, 1, 5), 13)
    services.record(admin, NGHE_AN, date(2026, 1, 5), 4, commune_code=commune.code)
    services.record(admin, NGHE_AN, date(2026, 1, 5), 6, commune_code=commune.code)
    found = db.session.execute(select(BacklogReport).order_by(BacklogReport.id)).scalars().all()
    assert [(r.commune_code, r.dossiers, r.note) for r in found] == [(None, 13, ""), (commune.code, 6, "")]
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "backlog.record")) == 4


@pytest.mark.parametrize("arguments, field", [
    ({"dossiers": -1}, "dossiers"),
    ({"dossiers": True}, "dossiers"),
    ({"dossiers": "12"}, "dossiers"),
    ({"dossiers": services.MAX_DOSSIERS + 1}, "dossiers"),
    ({"as_of": date(2026, 1, 13)}, "as_of"),  # tomorrow
    ({"as_of": date(2025, 11, 30)}, "as_of"),
    ({"as_of": "2026-01-05"}, "as_of"),
    ({"province_code": 999}, "province_code"),
    ({"commune_code": 999999}, "commune_code"),
    ({"note": "x" * 501}, "note"),
    ({"source": "excel"}, "source"),
])
def test_what_cannot_be_recorded_is_refused_and_nothing_is_written(db, admin, arguments, field):
    values = {"province_code": NGHE_AN, "as_of": date(2026, 1, 5), "dossiers": 3, **arguments}
    with pytest.raises(DomainError) as refused:
        services.record(admin, values.pop("province_code"), values.pop("as_of"), values.pop("dossiers"), **values)
    assert refused.value.field == field
    assert rows(db) == 0


def test_a_commune_of_another_province_is_refused(db, admin):
    with pytest.raises(DomainError) as refused:
        services.record(admin, NGHE_AN, date(2026, 1, 5), 3, commune_code=factories.first_commune(HA_NOI).code)
    assert refused.value.field == "commune_code" and rows(db) == 0


def test_today_and_the_first_day_are_accepted(db, admin):
    services.record(admin, NGHE_AN, TODAY, 1)
    services.record(admin, NGHE_AN, services.FIRST_DAY, 0)
    assert rows(db) == 2


def test_the_latest_figure_is_the_province_row_or_else_its_communes_sum(db, admin):
    first, second = db.session.execute(select(Commune.code).where(Commune.province_code == NGHE_AN)
                                       .order_by(Commune.code).limit(2)).scalars()
    services.record(admin, NGHE_AN, date(2026, 1, 2), 30)
    services.record(admin, NGHE_AN, date(2026, 1, 2), 99, commune_code=first)  # the province row wins that day
    services.record(admin, NGHE_AN, date(2026, 1, 9), 7, commune_code=first)
    services.record(admin, NGHE_AN, date(2026, 1, 9), 5, commune_code=second)
    services.record(admin, HA_NOI, date(2026, 1, 9), 270)
    latest = services.latest_by_province()
    assert latest[NGHE_AN] == services.Latest(12, date(2026, 1, 9), 30) and latest[NGHE_AN].change == -18
    assert latest[HA_NOI] == (270, date(2026, 1, 9), None) and latest[HA_NOI].change is None
    assert set(latest) == {NGHE_AN, HA_NOI}
    assert services.latest_by_province([HA_NOI]).keys() == {HA_NOI}
    assert services.latest_by_province(on=date(2026, 1, 8)) == {NGHE_AN: (30, date(2026, 1, 2), None)}


def test_the_latest_figures_cost_one_query_however_many_provinces(db, admin, count_queries):
    for code in (1, 4, 8, 11, 12, 14, 15, 19, 20, 22):
        services.record(admin, code, date(2026, 1, 2), code)
        services.record(admin, code, date(2026, 1, 9), code * 2)
    with count_queries() as statements:
        latest = services.latest_by_province()
    assert len(statements) == 1 and len(latest) == 10 and latest[22].change == 22
