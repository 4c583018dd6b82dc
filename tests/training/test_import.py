"""Importing a plan: preview with per-row errors and conflicts, all rows or none, also from the CLI."""
import io

from sqlalchemy import func, select

from portal.training import imports
from portal.training.models import TrainingSession
from tests import factories

HEADER = "Ngày,Bắt đầu,Kết thúc,Tỉnh/thành phố,Đối tượng,Hình thức,Địa điểm/đường dẫn,Email giảng viên,Số chỗ\n"


def plan_csv(*rows: str) -> bytes:
    return (HEADER + "\n".join(rows) + "\n").encode("utf-8-sig")


def sessions(db) -> int:
    return db.session.scalar(select(func.count(TrainingSession.id)))


def test_parsing_of_the_usual_spellings():
    assert imports.parse_time("8h00").strftime("%H:%M") == "08:00"
    assert imports.parse_time("13:30").strftime("%H:%M") == "13:30"
    assert imports.parse_time("25:00") is None
    assert imports.parse_day("20/01/2026").isoformat() == "2026-01-20"
    assert imports.word_choice("Cấp xã", imports.AUDIENCE_WORDS) == "commune"
    assert imports.word_choice("Trực tuyến", imports.MODE_WORDS) == "online"


def test_a_valid_plan_is_previewed_then_saved(client, login_as, db):
    factories.create_user("trainer", email="gv1@bo.gov.vn")
    login_as("admin")
    data = plan_csv(
        "20/01/2026,08:00,11:30,Nghệ An,xã,trực tuyến,https://hop.vn/na,gv1@bo.gov.vn,140",
        "20/01/2026,13:30,17:00,40,Sở,kết hợp,Hội trường Sở | https://hop.vn/na-so,gv1@bo.gov.vn,30",
    )
    response = client.post("/training/import", data={"file": (io.BytesIO(data), "ke-hoach.csv")})
    assert response.status_code == 302
    preview = client.get(response.location).get_data(as_text=True)
    assert "row-error" not in preview and sessions(db) == 0
    token = response.location.rsplit("/", 1)[1]
    client.post(f"/training/import/{token}/confirm")
    assert sessions(db) == 2
    second = db.session.execute(select(TrainingSession).order_by(TrainingSession.id.desc())).scalars().first()
    assert (second.mode, second.venue, second.meeting_url) == ("both", "Hội trường Sở", "https://hop.vn/na-so")


def test_errors_and_conflicts_are_shown_per_row_and_nothing_is_saved(client, login_as, db):
    factories.create_user("trainer", email="gv1@bo.gov.vn")
    login_as("admin")
    data = plan_csv(
        "20/01/2026,08:00,11:30,Nghệ An,xã,trực tuyến,https://hop.vn/1,gv1@bo.gov.vn,140",
        "20/01/2026,09:00,10:00,Hà Nội,xã,trực tuyến,https://hop.vn/2,gv1@bo.gov.vn,140",  # trainer twice
        "24/01/2026,08:00,11:30,Huế,xã,trực tuyến,https://hop.vn/3,gv1@bo.gov.vn,50",  # a Saturday
        "21/01/2026,11:00,09:00,Tỉnh Không Có,xã,bay,,nobody@bo.gov.vn,x",
    )
    response = client.post("/training/import", data={"file": (io.BytesIO(data), "ke-hoach.csv")})
    preview = client.get(response.location).get_data(as_text=True)
    assert preview.count('class="row-error"') == 3
    token = response.location.rsplit("/", 1)[1]
    client.post(f"/training/import/{token}/confirm")
    assert sessions(db) == 0


def test_import_cli_is_all_or_nothing(runner, db, tmp_path):
    factories.create_user("admin")
    factories.create_user("trainer", email="gv1@bo.gov.vn")
    path = tmp_path / "plan.csv"
    path.write_bytes(plan_csv("20/01/2026,08:00,11:30,Nghệ An,xã,trực tuyến,https://hop.vn/1,gv1@bo.gov.vn,9",
                              "20/01/2026,08:00,11:30,Nghệ An,xã,trực tuyến,https://hop.vn/1,gv1@bo.gov.vn,9"))
    result = runner.invoke(args=["training", "import", str(path)])
    assert result.exit_code == 1 and "line 3" in result.output and sessions(db) == 0
    path.write_bytes(plan_csv("20/01/2026,08:00,11:30,Nghệ An,xã,trực tuyến,https://hop.vn/1,gv1@bo.gov.vn,9"))
    result = runner.invoke(args=["training", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert sessions(db) == 1


def test_overlong_values_in_a_plan_are_row_errors(db):
    from portal.imports.services import keep_upload

    admin = factories.create_user("admin")
    factories.create_user("trainer", email="gv1@bo.gov.vn")
    text = (HEADER.strip() + ",Tên buổi\n" +
            f"20/01/2026,08:00,11:30,Nghệ An,xã,trực tiếp,{'Hội trường ' * 60},gv1@bo.gov.vn,9,{'T' * 300}\n")
    pending = keep_upload(admin, "training", "plan.csv", text.encode(), imports.HEADER_ALIASES)
    rows = imports.check_rows(pending)
    assert rows[0].errors
