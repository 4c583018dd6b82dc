"""Numbers written the way each language writes them, and forms that say what went wrong, at the top."""
import re
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest
from flask import render_template, render_template_string
from flask_babel import force_locale

from portal.core.i18n import format_file_size, format_number
from portal.support import sla
from tests.training.test_views import session_form


@pytest.mark.parametrize("language, expected", [
    ("vi", ["19", "9,5", "3.321", "1.234,5", "0", "4,67"]),
    ("en", ["19", "9.5", "3,321", "1,234.5", "0", "4.67"]),
])
def test_numbers_and_decimals_follow_the_language(app, language, expected):
    with app.test_request_context(), force_locale(language):
        assert [format_number(19.0), format_number(9.5), format_number(3321), format_number(1234.5),
                format_number(None), format_number(4.666, 2)] == expected
        assert format_number(19.04) == "19"  # one decimal at most, and none when it rounds to whole
        rendered = render_template_string("{{ 19.0|number }} · {{ 3321|count }} · {{ 524288|filesize }}")
        assert rendered == f"19 · {expected[2]} · {'0,5' if language == 'vi' else '0.5'} MB"


@pytest.mark.parametrize("size, vi, en", [
    (0, "0 KB", "0 KB"), (300, "1 KB", "1 KB"), (20 * 1024, "20 KB", "20 KB"),
    (512 * 1024, "0,5 MB", "0.5 MB"), (12 * 1024 * 1024, "12 MB", "12 MB"), (1536 * 1024 * 1024, "1.536 MB", "1,536 MB"),
])
def test_file_sizes(app, size, vi, en):
    with app.test_request_context():
        with force_locale("vi"):
            assert format_file_size(size) == vi
        with force_locale("en"):
            assert format_file_size(size) == en


@pytest.mark.parametrize("language, text", [("vi", "Hạn: 10:00 Thứ Hai 12/01"), ("en", "Due 10:00 Monday 12/01")])
def test_a_ticket_is_due_at_a_clock_time_written_in_the_language(app, monkeypatch, language, text):
    monkeypatch.setitem(app.config, "CLOCK_NOW", "2026-01-12T01:00:00+00:00")  # Monday 8:00 in Vietnam
    with app.test_request_context(), force_locale(language):
        due = sla.add_working_hours(datetime(2026, 1, 12, 1, 0, tzinfo=timezone.utc), 2)
        html = render_template("support/_due.html", item=SimpleNamespace(
            status="new", priority="urgent", first_response_at=None, first_response_due=due))
        assert text in html


def summary(page: str) -> str:
    match = re.search(r'<div class="flash error error-summary" id="error-summary" role="alert" tabindex="-1" '
                      r'autofocus\s+aria-labelledby="error-summary-title">(.*?)</div>', page, re.S)
    assert match, "no error summary at the top of the form"
    return match.group(1)


def test_a_ticket_without_subject_says_so_and_links_to_the_field(client, login_as):
    login_as("commune_admin")
    response = client.post("/support/new", data={"category_id": 1, "title": "", "description": "",
                                                  "priority": "normal"})
    page = response.get_data(as_text=True)
    assert response.status_code in (200, 422)
    box = summary(page)
    assert '<a href="#title">Tiêu đề: Nhập tiêu đề phiếu hỗ trợ.</a>' in box
    assert 'href="#description"' in box and "Vui lòng sửa 2 lỗi sau:" in box
    assert page.index("error-summary") < page.index('id="title"')  # at the top, before the fields
    assert '<label for="title">Tiêu đề</label>' in page and "tên buổi" not in page


def test_a_session_without_title_names_the_session(client, login_as):
    trainer = login_as("trainer")
    response = client.post("/training/sessions/new", data=session_form(trainer.id, title=""))
    assert response.status_code == 422
    assert '<a href="#title">Tên: Nhập tên buổi tập huấn.</a>' in summary(response.get_data(as_text=True))


def test_a_material_without_title_names_the_material(client, login_as, app, tmp_path):
    app.config["MATERIALS_DIR"] = str(tmp_path)
    login_as("trainer")
    response = client.post("/materials/new", data={"title": "", "audience": "both", "version": "1",
                                                   "published_on": "2026-01-15", "link": "https://hd.vn"})
    assert '<a href="#title">Tên: Nhập tên tài liệu.</a>' in summary(response.get_data(as_text=True))


def test_the_summary_speaks_english_too(client, login_as):
    login_as("commune_admin")
    client.post("/language", data={"language": "en", "next": "/"})
    page = client.post("/support/new", data={"category_id": 1, "title": "", "description": "",
                                             "priority": "normal"}).get_data(as_text=True)
    box = summary(page)
    assert "Please correct these 2 problems:" in box
    assert '<a href="#title">Subject: Enter the subject of the ticket.</a>' in box


def test_a_form_without_errors_has_no_summary(client, login_as):
    login_as("commune_admin")
    assert "error-summary" not in client.get("/support/new").get_data(as_text=True)


def test_an_empty_sign_in_links_to_both_fields(client, db):
    box = summary(client.post("/auth/login", data={"email": "", "password": ""}).get_data(as_text=True))
    assert 'href="#email"' in box and 'href="#password"' in box


def test_a_session_on_a_saturday_is_not_called_a_clash(client, login_as):
    trainer = login_as("trainer")
    response = client.post("/training/sessions/new", data=session_form(trainer.id, day="2026-01-24"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Chưa lưu buổi tập huấn. Vui lòng xem lại:" in page and "trùng lịch" not in page
    assert "Ngày 24/01/2026 không phải ngày làm việc" in page
