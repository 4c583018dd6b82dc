"""'My data': a person sees what the portal holds about them (and nobody else's), corrects their contact entry,
and downloads all of it."""
import io
import json
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.accounts.services import add_request
from portal.audit.models import AuditEvent
from portal.contacts.models import Contact, ContactChange
from portal.contacts.services import Seat, save_seat
from portal.core.models_base import utcnow
from portal.core.storage import storage
from portal.files.services import sweep
from portal.jobs.services import run_job
from portal.privacy.export import DataExport
from portal.privacy.tasks import build_export
from portal.support.services import attachment_key
from portal.support.services import create_ticket
from portal.training.enrolment import enrol
from tests import factories
from tests.conftest import start_session
from tests.factories import NGHE_AN

MY_EMAIL = "admin.xa@nghean.gov.vn"
OTHER_EMAIL = "nguoi.khac@nghean.gov.vn"


@pytest.fixture
def files_in_tmp(app, tmp_path):
    app.config.update(ATTACHMENTS_DIR=str(tmp_path / "attachments"), EXPORTS_DIR=str(tmp_path / "exports"))
    yield tmp_path
    app.config.pop("ATTACHMENTS_DIR")
    app.config.pop("EXPORTS_DIR")


@pytest.fixture
def people(db, files_in_tmp, make_session, admin):
    """A commune admin with a contact entry, an enrolment, a ticket with a file and an account request in their
    name; and a coordinator whose own request and ticket are about someone else."""
    commune = factories.first_commune(NGHE_AN)
    me = factories.create_user("commune_admin", commune_code=commune.code, email=MY_EMAIL, full_name="Trần Thị Mình")
    contact = save_seat(None, Seat.of_commune(commune), factories.person(
        7, full_name="Trần Thị Mình", email=MY_EMAIL.upper(), phone="0912 345 678", cccd="040188001234"), None)
    session = make_session()
    enrol(admin, session, [contact])
    ticket = create_ticket(me, 1, "Không ký số được", "Lỗi chữ ký của tôi", "normal",
                           files=[("loi.png", factories.png_image(20, 10))])
    coordinator = factories.create_user("coordinator", email="dieu.phoi@nghean.gov.vn", full_name="Điều Phối")
    add_request(coordinator, {"full_name": "Trần Thị Mình", "unit": "UBND xã", "phone": "0912345678",
                              "email": MY_EMAIL, "cccd": "040188009876", "procedures": ""})
    add_request(coordinator, {"full_name": "Lê Văn Khác", "unit": "UBND xã", "phone": "0987654321",
                              "email": OTHER_EMAIL, "cccd": "040199005555", "procedures": ""})
    other_commune = factories.first_commune(factories.HA_NOI)
    save_seat(None, Seat.of_commune(other_commune), factories.person(
        8, full_name="Lê Văn Khác", email=OTHER_EMAIL, phone="0987 654 321"), None)
    create_ticket(coordinator, 1, "Vướng mắc của tỉnh", "Nội dung của điều phối", "normal")
    return {"me": me, "contact": contact, "ticket": ticket, "coordinator": coordinator, "session": session}


def test_the_page_lists_my_data_and_nobody_elses(client, people, count_queries):
    start_session(client, people["me"])
    response = client.get("/me/data/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert MY_EMAIL in page and "0912 345 678" in page
    assert people["session"].title in page
    assert "Không ký số được" in page and "loi.png" in page
    assert "********9876" in page and "040188009876" not in page  # the request in my name, masked
    assert "040188001234" not in page
    assert "Lê Văn Khác" not in page and OTHER_EMAIL not in page and "Vướng mắc của tỉnh" not in page
    assert response.headers["Cache-Control"] == "no-store"


def test_the_page_costs_the_same_queries_whatever_the_rows(client, people, count_queries, make_session, admin):
    start_session(client, people["me"])
    client.get("/me/data/")
    with count_queries() as few:
        client.get("/me/data/")
    for day in ("2026-01-21", "2026-01-22"):
        enrol(admin, make_session(day=day), [people["contact"]])
    create_ticket(people["me"], 1, "Thêm một phiếu", "Nội dung", "normal")
    with count_queries() as more:
        client.get("/me/data/")
    assert len(more) == len(few)


def test_the_menu_links_to_my_data(client, people):
    start_session(client, people["me"])
    assert 'href="/me/data/"' in client.get("/auth/account").get_data(as_text=True)


def test_a_commune_admin_corrects_their_phone(client, db, people):
    contact = people["contact"]
    start_session(client, people["me"])
    prefix = f"c{contact.id}-"
    response = client.post(f"/me/data/contacts/{contact.id}",
                           data={prefix + "full_name": "Trần Thị  Mình", prefix + "phone": "0238 384 4556"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Contact, contact.id).phone == "+842383844556"
    event = db.session.execute(select(AuditEvent).where(AuditEvent.action == "mydata.correct")).scalar_one()
    assert event.actor_id == people["me"].id and event.target == f"contact:{contact.id}"
    change = db.session.execute(select(ContactChange).order_by(ContactChange.id.desc()).limit(1)).scalar_one()
    assert change.changes == {"phone": ["0912 345 678", "0238 384 4556"]}


def test_a_bad_phone_is_refused_next_to_the_field_and_changes_nothing(client, db, people):
    contact = people["contact"]
    start_session(client, people["me"])
    prefix = f"c{contact.id}-"
    response = client.post(f"/me/data/contacts/{contact.id}",
                           data={prefix + "full_name": "Tên Mới", prefix + "phone": "12345"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{prefix}phone-error"' in page
    db.session.expire_all()
    stored = db.session.get(Contact, contact.id)
    assert (stored.full_name, stored.phone) == ("Trần Thị Mình", "+84912345678")
    assert db.session.execute(select(AuditEvent).where(AuditEvent.action == "mydata.correct")).first() is None


def test_nobody_corrects_another_persons_entry(client, db, people):
    other = db.session.execute(select(Contact).where(Contact.email == OTHER_EMAIL)).scalar_one()
    start_session(client, people["me"])
    prefix = f"c{other.id}-"
    response = client.post(f"/me/data/contacts/{other.id}", data={prefix + "full_name": "X", prefix + "phone": "0912000000"})
    assert response.status_code == 404


def ask_for_a_copy(client, db, user):
    """Request a copy through the page, then run the queued build as the worker would."""
    start_session(client, user)
    assert client.post("/me/data/exports").status_code == 302
    copy = db.session.execute(select(DataExport).where(DataExport.user_id == user.id)).scalar_one()
    assert copy.status == "queued"
    build_export.call_local(copy.id)
    db.session.expire_all()
    return db.session.get(DataExport, copy.id)


def test_the_copy_holds_each_kind_and_the_attachments_with_the_cccd_masked(client, db, people, outbox):
    copy = ask_for_a_copy(client, db, people["me"])
    assert copy.status == "ready" and copy.expires_at - copy.created_at == timedelta(days=7)
    response = client.get(f"/me/data/exports/{copy.id}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    response.close()
    names = set(archive.namelist())
    assert {"account.json", "contacts.json", "enrolments.json", "tickets.json", "account_requests.json"} <= names
    assert json.loads(archive.read("account.json"))["email"] == MY_EMAIL
    contacts = json.loads(archive.read("contacts.json"))
    assert [c["phone"] for c in contacts] == ["0912 345 678"] and contacts[0]["cccd"] == "********1234"
    assert json.loads(archive.read("enrolments.json"))[0]["session"] == people["session"].title
    tickets = json.loads(archive.read("tickets.json"))
    assert [t["title"] for t in tickets] == ["Không ký số được"]
    attachment = people["ticket"].attachments[0]
    with storage().open(attachment_key(attachment)) as source:
        stored = source.read()
    assert archive.read(tickets[0]["attachments"][0]) == stored
    requests = json.loads(archive.read("account_requests.json"))
    assert [r["cccd"] for r in requests] == ["********9876"]
    everything = b"".join(archive.read(name) for name in names if name.endswith(".json"))
    assert b"040188009876" not in everything and b"040188001234" not in everything
    assert OTHER_EMAIL.encode() not in everything and "Vướng mắc của tỉnh".encode() not in everything
    actions = set(db.session.execute(select(AuditEvent.action)).scalars())
    assert {"mydata.export_request", "mydata.export_download"} <= actions
    link = f"https://portal.test/me/data/exports/{copy.id}"
    assert [m.to for m in outbox() if link in m.body] == [[MY_EMAIL]]


def test_another_person_gets_404_for_my_copy(client, db, people):
    copy = ask_for_a_copy(client, db, people["me"])
    start_session(client, people["coordinator"])
    assert client.get(f"/me/data/exports/{copy.id}").status_code == 404


def test_the_copy_is_gone_after_7_days(client, db, people):
    copy = ask_for_a_copy(client, db, people["me"])
    key = copy.key
    assert storage().exists(key)
    run_job("data_exports", now=utcnow() + timedelta(days=8))
    db.session.expire_all()
    assert db.session.get(DataExport, copy.id) is None
    assert not storage().exists(key)
    assert client.get(f"/me/data/exports/{copy.id}").status_code == 404


def test_the_hourly_job_builds_a_copy_the_queue_lost(db, people):
    from portal.privacy.export import request_export

    copy = request_export(people["me"])
    run_job("data_exports", now=utcnow() + timedelta(minutes=10))
    db.session.expire_all()
    assert db.session.get(DataExport, copy.id).status == "ready"


def test_a_named_copy_survives_the_orphan_sweep(client, db, people):
    copy = ask_for_a_copy(client, db, people["me"])
    sweep(utcnow() + timedelta(days=1))
    assert storage().exists(copy.key)


def test_a_phone_of_another_communes_administrator_is_refused(client, db, people):
    contact = people["contact"]
    start_session(client, people["me"])
    prefix = f"c{contact.id}-"
    response = client.post(f"/me/data/contacts/{contact.id}",
                           data={prefix + "full_name": "Trần Thị Mình", prefix + "phone": "0987 654 321"})
    assert response.status_code == 422
    assert f'id="{prefix}phone-error"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Contact, contact.id).phone == "+84912345678"


def test_a_second_click_while_a_copy_is_prepared_asks_for_no_second_one(client, db, people):
    start_session(client, people["me"])
    client.post("/me/data/exports")
    client.post("/me/data/exports")
    assert len(db.session.execute(select(DataExport)).scalars().all()) == 1


def test_an_uploaded_name_never_leads_out_of_the_archive():
    from types import SimpleNamespace

    from portal.privacy.export import member_name

    name = member_name(SimpleNamespace(reference="HT-2026-000001"), SimpleNamespace(id=3, file_name="../..\\etc/passwd"))
    assert name == "attachments/HT-2026-000001/3-_.._etc_passwd"
