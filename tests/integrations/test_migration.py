"""The migration that turns the QLVB tracker into integrations keeps every row and its history, both ways."""
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from portal import create_app
from portal.core.extensions import db
from portal.units.services import load_official_units
from tests.conftest import config_for_tests
from tests.test_backup import second_database

CONNECTED = (24, 38, 11, 42, 44, 96, 52)
DateTime = sa.DateTime(timezone=True)
CONNECTIONS = sa.table("qlvb_connections", *(sa.column(name) for name in (
    "province_code", "software", "vendor", "contact_name", "contact_phone", "contact_email", "status",
    "blocked_reason")), sa.column("status_changed_at", DateTime), sa.column("created_at", DateTime),
    sa.column("updated_at", DateTime))
CHANGES = sa.table("qlvb_status_changes", *(sa.column(name) for name in (
    "province_code", "old_status", "new_status", "reason", "changed_by_id")), sa.column("at", DateTime))


def old_rows(start: datetime) -> tuple[list, list]:
    """The seven connected provinces with three steps each, Đà Nẵng blocked and Hà Nội in progress."""
    connections, changes = [], []
    for number, code in enumerate(CONNECTED):
        done = start + timedelta(days=number)
        connections.append({"province_code": code, "software": "eOffice", "vendor": "VNPT", "contact_name": "",
                            "contact_phone": "", "contact_email": "", "status": "connected", "blocked_reason": "",
                            "status_changed_at": done, "created_at": start, "updated_at": done})
        for step, (old, new) in enumerate((("not_started", "in_progress"), ("in_progress", "testing"),
                                           ("testing", "connected"))):
            changes.append({"province_code": code, "old_status": old, "new_status": new, "reason": "",
                            "changed_by_id": None, "at": done - timedelta(hours=3 - step)})
    connections.append({"province_code": 48, "software": "", "vendor": "", "contact_name": "Kỹ Thuật",
                        "contact_phone": "+84912111222", "contact_email": "kt@danang.gov.vn", "status": "blocked",
                        "blocked_reason": "Chờ chứng thư số", "status_changed_at": start, "created_at": start,
                        "updated_at": start})
    changes.append({"province_code": 48, "old_status": "not_started", "new_status": "blocked",
                    "reason": "Chờ chứng thư số", "changed_by_id": None, "at": start})
    connections.append({"province_code": 1, "software": "", "vendor": "", "contact_name": "", "contact_phone": "",
                        "contact_email": "", "status": "in_progress", "blocked_reason": "",
                        "status_changed_at": start, "created_at": start, "updated_at": start})
    return connections, changes


def test_the_qlvb_rows_move_to_integrations_with_their_history_and_back(tmp_path):
    app = create_app(config_for_tests(second_database(tmp_path, "portal_migration_qlvb")))
    start = datetime(2026, 3, 16, 3, tzinfo=timezone.utc)
    connections, changes = old_rows(start)
    with app.app_context():
        upgrade(revision="e13a00000004")
        load_official_units()
        with db.engine.begin() as connection:
            connection.execute(CONNECTIONS.insert(), connections)
            connection.execute(CHANGES.insert(), changes)
        db.session.remove()

        upgrade(revision="f14a00000001")
        with db.engine.connect() as connection:
            rows = connection.execute(sa.text(
                "SELECT i.province_code, i.status, i.blocked_reason, i.contact_phone, i.status_changed_at "
                "FROM integrations i JOIN integration_kinds k ON k.id = i.kind_id WHERE k.key = 'qlvb' "
                "ORDER BY i.province_code")).all()
            history = connection.execute(sa.text(
                "SELECT i.province_code, c.old_status, c.new_status, c.reason FROM integration_changes c "
                "JOIN integrations i ON i.id = c.integration_id ORDER BY c.id")).all()
            kinds = connection.execute(sa.text("SELECT count(*) FROM integration_kinds")).scalar()
        assert kinds == 8
        live = sorted(code for code, status, *_ in rows if status == "live")
        assert live == sorted(CONNECTED)
        by_code = {row[0]: row for row in rows}
        assert by_code[48][1:4] == ("blocked", "Chờ chứng thư số", "+84912111222")
        assert by_code[1][1] == "configuring"
        assert len(history) == len(changes) == 22
        assert [h for h in history if h[0] == 24] == [(24, "not_started", "configuring", ""),
                                                      (24, "configuring", "testing", ""), (24, "testing", "live", "")]
        assert str(by_code[24][4])[:16] == "2026-03-16 03:00"

        downgrade(revision="e13a00000004")
        with db.engine.connect() as connection:
            back = dict(connection.execute(sa.text("SELECT province_code, status FROM qlvb_connections")).all())
            steps = connection.execute(sa.text("SELECT count(*) FROM qlvb_status_changes")).scalar()
        assert back == {**{code: "connected" for code in CONNECTED}, 48: "blocked", 1: "in_progress"}
        assert steps == 22
        db.session.remove()
        db.engine.dispose()
