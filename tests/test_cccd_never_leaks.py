"""After the flows that handle a CCCD, scan logs, URLs, feeds, e-mails and the audit log: it is in none of them."""
import logging

from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.contacts.services import Seat, seat_contact
from portal.mail.models import OutboxMessage
from portal.training.enrolment import enrol
from tests import factories

CCCD = "079123456789"


def test_a_cccd_stays_out_of_logs_urls_feeds_mails_and_audit(client, login_as, db, commune, caplog, outbox,
                                                            make_session, admin):
    with caplog.at_level(logging.DEBUG):
        login_as("coordinator")
        client.post(f"/contacts/communes/{commune.code}", data={
            **factories.person(5), "cccd": CCCD, "accept_notice": "y", "version": ""})
        client.post("/accounts/", data={"full_name": "Cán Bộ Một Cửa", "unit": "UBND xã", "phone": "0912000999",
                                        "email": "motcua@xa.vn", "cccd": CCCD, "accept_notice": "y"})
        client.get("/contacts/export.xlsx")
        client.get("/contacts/export.csv")
        login_as("admin")
        contact = seat_contact(Seat.of_commune(commune))
        revealed = client.post(f"/contacts/entries/{contact.id}/cccd", data={"reason": "cấp tài khoản"})
        assert CCCD in revealed.get_data(as_text=True)  # shown to the admin who asked, on that response only
        client.get("/accounts/")
        session = make_session()
        enrol(admin, session, [contact])
        feeds = [client.get(path).get_data(as_text=True) for path in
                 ("/feeds/plan.ics", "/feeds/provinces/40.ics", "/feeds/audiences/commune.ics")]
        client.post(f"/contacts/communes/{commune.code}", data={**factories.person(6), "is_replacement": "y",
                                                                 "accept_notice": "y", "version": str(contact.version)})
    logged = caplog.text + " ".join(str(vars(record)) for record in caplog.records)
    assert CCCD not in logged
    assert all(CCCD not in body for body in feeds)
    mails = [m.body + m.subject for m in db.session.execute(select(OutboxMessage)).scalars()]
    assert all(CCCD not in body for body in mails) and all(CCCD not in str(m.body) for m in outbox())
    audit = [e.target + e.detail for e in db.session.execute(select(AuditEvent)).scalars()]
    assert audit and all(CCCD not in entry for entry in audit)
    paths = [getattr(record, "path", "") for record in caplog.records]
    assert paths and all(CCCD not in path for path in paths)
    db.session.refresh(contact)
    assert contact.cccd is None  # erased when the person was replaced
