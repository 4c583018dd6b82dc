"""Importing a plan: preview with per-row errors and conflicts, all rows or none, also from the CLI."""
import io
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from flask_babel import refresh
from sqlalchemy import func, select

from portal.imports.services import keep_upload
from portal.training import imports, plan_cells
from portal.training.models import TrainingSession
from tests import factories

HEADER = "Ngày,Bắt đầu,Kết thúc,Tỉnh/thành phố,Đối tượng,Hình thức,Địa điểm/đường dẫn,Email giảng viên,Số chỗ\n"
TODAY = date(2026, 12, 2)


def plan_csv(*rows: str, header: str = HEADER) -> bytes:
    return (header + "\n".join(rows) + "\n").encode("utf-8-sig")


def sessions(db) -> int:
    return db.session.scalar(select(func.count(TrainingSession.id)))


def checked(db, data: bytes, filename: str = ""):
    filename = filename or ("plan.xlsx" if data.startswith(b"PK") else "plan.csv")
    pending = keep_upload(factories.create_user("admin"), "training", filename, data, imports.HEADER_ALIASES)
    return pending, imports.check_rows(pending)


def errors_of(rows) -> list[str]:
    return [" ".join(str(error) for error in row.errors) for row in rows]


@pytest.mark.parametrize("written, starts, ends", [
    ("Sáng 19/01/2026 (8h00 - 11h30)", "2026-01-19 08:00", "2026-01-19 11:30"),
    ("13h30-17h00 ngày 20/01/2026", "2026-01-20 13:30", "2026-01-20 17:00"),
    ("Chiều 21/01/2026", "2026-01-21 13:30", "2026-01-21 17:00"),
    ("SÁNG NGÀY 22/01/2026", "2026-01-22 08:00", "2026-01-22 11:30"),
    ("8 giờ 30 đến 11 giờ, 23/1/26", "2026-01-23 08:30", "2026-01-23 11:00"),
    ("19/01/2026 08:00 - 11:30", "2026-01-19 08:00", "2026-01-19 11:30"),
    ("2026-01-19 8h - 11h30", "2026-01-19 08:00", "2026-01-19 11:30"),
    ("Sáng ngày 19 tháng 01 năm 2026 (từ 8h00 đến 11h30)", "2026-01-19 08:00", "2026-01-19 11:30"),
    ("19.01.2026, 14h00–16h30", "2026-01-19 14:00", "2026-01-19 16:30"),
])
def test_one_time_cell_as_clerks_write_it(written, starts, ends):
    start, end, _notes = imports.parse_when(written, 0, TODAY)
    assert (f"{start:%Y-%m-%d %H:%M}", f"{end:%Y-%m-%d %H:%M}") == (starts, ends)


def test_a_day_without_a_year_takes_the_plan_s_year_or_the_coming_one(db):
    start, _end, notes = imports.parse_when("Chiều 21/01", 2026, TODAY)
    assert start == datetime(2026, 1, 21, 13, 30)
    assert [str(n) for n in notes] == ["Năm 2026, năm của kế hoạch.", "Buổi chiều: giờ thường lệ 13:30–17:00."]
    # No year anywhere in the file: in December, "21/01" is next January; "15/12" is this month.
    assert imports.parse_when("Chiều 21/01", 0, TODAY)[0].year == 2027
    assert imports.parse_when("Sáng 15/12", 0, TODAY)[0].year == 2026
    assert imports.plan_year(["Sáng 19/01/2026", "Chiều 21/01", "20/01/2026 8h-9h", "3/3/2027 8h-9h"]) == 2026
    assert imports.plan_year(["Chiều 21/01"]) == 0
    assert [str(n) for n in imports.parse_when("Chiều 21/01", 0, TODAY)[2]][0] == "Năm 2027: lần tới của ngày đó."
    with pytest.raises(imports.CellError):  # 2028 has a 29 February, 2029 has not
        imports.parse_when("Sáng 29/02", 0, date(2028, 12, 1))


@pytest.mark.parametrize("written, message", [
    ("Sáng 31/02/2026", "“31/02/2026” không phải là ngày."),
    ("25h00 - 26h00 ngày 19/01/2026", "“25h00” không phải là giờ trong ngày."),
    ("19/01/2026 8h75 - 9h00", "“8h75” không phải là giờ trong ngày."),
    ("19/01/2026 8h00", "Chỉ có một giờ"),
    ("19/01/2026 8h00 - 9h00 - 10h00", "Nhiều hơn hai giờ"),
    ("19/01/2026 - 20/01/2026", "Nhiều ngày (19/01/2026, 20/01/2026)"),
    ("19/01/2026", "Chưa có giờ"),
    ("Sáng thứ Hai", "Chưa có ngày"),
    ("01/01/0001 8h-9h", "“01/01/0001” không phải là ngày."),
    ("", "Chưa có ngày và giờ."),
])
def test_a_time_cell_that_cannot_be_read_says_why(db, written, message):
    with pytest.raises(imports.CellError) as caught:
        imports.parse_when(written, 0, TODAY)
    assert message in str(caught.value.message)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789/.-:hHgiờSángChiềuNgày ()–đến", max_size=60))
def test_any_time_cell_is_read_or_refused_with_a_message(written):
    try:
        starts, ends, _notes = imports.parse_when(written, 0, TODAY)
    except imports.CellError as error:
        assert str(error.message)
    else:
        assert starts.date() == ends.date() and plan_cells.PLAN_YEARS[0] <= starts.year <= plan_cells.PLAN_YEARS[1]


@pytest.mark.parametrize("written, audience", [
    ("Sở", "department"), ("Cán bộ Sở VHTTDL", "department"), ("so", "department"),
    ("Cấp xã", "commune"), ("Quản trị hệ thống xã, phường, đặc khu", "commune"), ("Cán bộ cơ sở", "commune"),
    ("Cán bộ chuyển đổi số cấp xã", "commune"), ("Sở và xã", "both"), ("cả hai", "both"),
    ("Số liệu", None), ("", None),
])
def test_audiences_in_a_clerk_s_words(written, audience):
    assert imports.audience_of(written) == audience


@pytest.mark.parametrize("written, place, mode", [
    ("Trực tiếp", [], "in_person"), ("Trực tuyến (Zoom)", [], "online"), ("Kết hợp", [], "both"),
    ("Trực tiếp và trực tuyến", [], "both"), ("", ["https://hop.vn/x"], "online"),
    ("", ["Hội trường"], "in_person"), ("", ["Hội trường", "https://hop.vn/x"], "both"), ("bay", [], None),
])
def test_how_it_is_held_is_read_or_follows_from_the_place(written, place, mode):
    assert imports.mode_of(written, place) == mode


@pytest.mark.parametrize("written, seats", [
    ("30", 30), ("1.200", 1200), ("140 người", 140), ("50 HV.", 50), ("nhiều", None), ("0x10", None),
    ("100001", None), ("9" * 40, None), ("١٢", None)])
def test_seats_in_a_clerk_s_words(written, seats):
    assert imports.seats_of(written) == seats


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
    assert 'class="error"' not in preview and sessions(db) == 0
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
    assert preview.count('<li id="line-') == 4 and "3 dòng có lỗi" in preview
    assert "“Tỉnh Không Có” không phải tỉnh/thành phố." in preview
    token = response.location.rsplit("/", 1)[1]
    client.post(f"/training/import/{token}/confirm")
    assert sessions(db) == 0


def clerk_workbook(rows: list[list], header: list[str] | None = None) -> bytes:
    """A plan as the ministry's letters attach it (Phụ lục 2): merged title lines above a header row."""
    from openpyxl import Workbook

    header = header or ["STT", "Nội dung", "Thời gian", "Tỉnh/Thành phố", "Đối tượng", "Hình thức", "Địa điểm",
                        "Giảng viên/Báo cáo viên", "Số lượng"]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Phụ lục 2"
    for title in ("PHỤ LỤC 2", "LỊCH TẬP HUẤN TRIỂN KHAI HỆ THỐNG THÔNG TIN GIẢI QUYẾT TTHC CỦA BỘ VHTTDL",
                  "(Kèm theo Công văn số      /BVHTTDL-CĐSVHTTDL ngày     tháng     năm 2026)"):
        sheet.append([title])
        sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=len(header))
    sheet.append([])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
        if len(row) == 2:  # a section line merged across the table
            sheet.merge_cells(start_row=sheet.max_row, start_column=2, end_row=sheet.max_row, end_column=len(header))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def ministry_trainers(db):
    return {key: factories.create_user("trainer", email=f"{key}@cds.bvhttdl.gov.vn", full_name=name)
            for key, name in (("son", "Nguyễn Minh Sơn"), ("hung", "Lê Mạnh Hùng"), ("hanh", "Vũ Văn Hạnh"),
                              ("an1", "Nguyễn Văn An"), ("an2", "Nguyễn Văn Ân"))}


def test_a_clerk_s_table_is_read_as_written(db, ministry_trainers):
    data = clerk_workbook([
        ["I", "ĐỢT 1: CÁN BỘ SỞ VÀ CẤP XÃ"],
        [1, "Hướng dẫn sử dụng Hệ thống cho cán bộ Sở", "Sáng 19/01/2026 (8h00 - 11h30)", "Bình Định",
         "Cán bộ Sở VHTTDL", "Trực tiếp", "Hội trường Sở VHTTDL", "Đ/c Nguyễn Minh Sơn - Phó Giám đốc Trung tâm", 30],
        [2, "Quản trị hệ thống cấp xã", "13h30-17h00 ngày 20/01/2026", "TP. Hồ Chí Minh",
         "Cán bộ quản trị hệ thống cấp xã", "Trực tuyến", "https://hop.vn/hcm", "lê mạnh hùng", None],
        [],
        [3, None, "Chiều 21/01", "Tỉnh Quảng Bình", "Sở và xã", None, "Hội trường UBND tỉnh | https://hop.vn/qb",
         "son@cds.bvhttdl.gov.vn; Ông Vũ Văn Hạnh", "50 người"],
        [4, None, "Sáng 22/01/2026", "Tp Hà Tĩnh", "Xã", "Trực tuyến", "https://hop.vn/ht",
         "Nguyễn Văn An, Đ/c Nguyễn Văn Ân (Trung tâm CĐS)", ""],
        [None, "Tổng cộng", None, None, None, None, None, None, 1000],
    ])
    pending, rows = checked(db, data, "Phu luc 2 - Lich tap huan.xlsx")
    assert imports.skipped_lines(pending) == [6, 12]  # the section line and the total (empty rows never count)
    assert errors_of(rows) == ["", "", "", ""]
    first, second, third, fourth = rows
    assert [(p.name, legacy) for p, legacy in first.provinces] == [("Gia Lai", "Bình Định")]
    assert "Bình Định → Gia Lai (sáp nhập năm 2025)." in [str(n) for n in first.notes]
    assert (first.data.audience, first.data.mode, first.data.capacity) == ("department", "in_person", 30)
    assert first.trainers == [ministry_trainers["son"]]
    assert second.data.title == "Quản trị hệ thống cấp xã" and second.trainers == [ministry_trainers["hung"]]
    assert second.provinces[0][0].name == "Thành phố Hồ Chí Minh" and second.provinces[0][1] == ""
    assert second.data.capacity == 168  # one administrator per commune of TP Hồ Chí Minh
    assert "168 chỗ, mặc định cho cấp xã." in [str(n) for n in second.notes]
    assert (third.data.starts_at, third.data.ends_at) == (datetime(2026, 1, 21, 13, 30), datetime(2026, 1, 21, 17))
    assert [(p.name, legacy) for p, legacy in third.provinces] == [("Quảng Trị", "Quảng Bình")]
    assert (third.data.audience, third.data.mode, third.data.capacity) == ("both", "both", 50)
    assert third.trainers == [ministry_trainers["son"], ministry_trainers["hanh"]]
    # written exactly, though "An" and "Ân" fold the same
    assert fourth.trainers == [ministry_trainers["an1"], ministry_trainers["an2"]]
    assert fourth.provinces[0][0].name == "Hà Tĩnh"  # Hà Tĩnh stays Hà Tĩnh
    assert not any("Hà Tĩnh →" in str(n) for n in fourth.notes)


def test_headers_are_matched_without_case_diacritics_or_punctuation(db, ministry_trainers):
    header = ["TT", "CHUYÊN ĐỀ", "thoi gian", "TỈNH, TP", "Thành phần tham dự", "Hình thức tổ chức",
              "Địa điểm tổ chức", "GIẢNG VIÊN - BÁO CÁO VIÊN", "Số người (*)"]
    pending, rows = checked(db, clerk_workbook([[1, "Chuyên đề 1", "Sáng 19/01/2026", "Nghệ An", "Sở",
                                                 "Trực tiếp", "Hội trường", "Vũ Văn Hạnh", 20]], header))
    assert set(pending.mapping) == {"title", "when", "province", "audience", "mode", "place", "trainer", "capacity"}
    assert errors_of(rows) == [""] and rows[0].data.capacity == 20 and rows[0].data.title == "Chuyên đề 1"


def test_a_day_column_beside_a_time_column(db, ministry_trainers):
    header = ["STT", "Ngày", "Thời gian", "Tỉnh", "Đối tượng", "Địa điểm", "Giảng viên"]
    rows = checked(db, clerk_workbook([
        [1, "19/01/2026", "8h00 - 11h30", "Nghệ An", "Sở", "Hội trường", "Vũ Văn Hạnh"],
        [2, "20/01/2026", "Chiều 20/01/2026", "Nghệ An", "Xã", "https://hop.vn/na", "Vũ Văn Hạnh"],
        [3, "21/01/2026", "Sáng 22/01/2026", "Nghệ An", "Xã", "https://hop.vn/na", "Vũ Văn Hạnh"],
    ], header))[1]
    assert [row.data.starts_at for row in rows[:2]] == [datetime(2026, 1, 19, 8), datetime(2026, 1, 20, 13, 30)]
    assert "Nhiều ngày (21/01/2026, 22/01/2026)" in errors_of(rows)[2]


def test_seats_default_by_audience(db, ministry_trainers):
    rows = checked(db, clerk_workbook([
        [1, None, "Sáng 19/01/2026", "Nghệ An", "Sở", "Trực tiếp", "Hội trường", "Vũ Văn Hạnh", None],
        [2, None, "Chiều 19/01/2026", "Nghệ An", "Xã", "Trực tuyến", "https://hop.vn/na", "Vũ Văn Hạnh", None],
        [3, None, "Sáng 20/01/2026", "Nghệ An", "Sở và xã", "Trực tuyến", "https://hop.vn/na", "Vũ Văn Hạnh", None],
    ]))[1]
    # Nghệ An: one Sở VHTTDL (2 cadres) and 130 communes (1 administrator each)
    assert [row.data.capacity for row in rows] == [2, 130, 132]


def test_a_hostile_clerk_s_table_gets_an_error_on_each_bad_row(db, ministry_trainers):
    common = ["Nghệ An", "Xã", "Trực tuyến", "https://hop.vn/na", "Vũ Văn Hạnh", 10]
    data = clerk_workbook([
        [1, None, "Sáng 31/02/2026", *common],
        [2, None, "25h00 - 26h00 ngày 19/01/2026", *common],
        [3, None, "19/01/2026 (11h30 - 8h00)", *common],
        [4, None, "Sáng 20/01/2026", "Nghệ An", "Xã", "Trực tuyến", "https://hop.vn/na", "Nguyen Van An", 10],
        [5, None, "Sáng 21/01/2026", "Nghệ An", "Xã", "Trực tuyến", "https://hop.vn/na", "Trần Văn Sơn", 10],
        [6, None, "Sáng 22/01/2026", "Tỉnh Không Có", "Xã", "Trực tuyến", "https://hop.vn/na", "Vũ Văn Hạnh", "nhiều"],
        [7, None, "", "Nghệ An", "Ai đó", "Bay", "", "", None],
        [8, None, "Sáng 23/01/2026", *common],
    ])
    _pending, rows = checked(db, data)
    found = errors_of(rows)
    assert "“31/02/2026” không phải là ngày." in found[0]
    assert "“25h00” không phải là giờ trong ngày." in found[1]
    assert "Giờ kết thúc phải sau giờ bắt đầu." in found[2]
    assert "Nguyễn Văn An (an1@cds.bvhttdl.gov.vn), Nguyễn Văn Ân (an2@cds.bvhttdl.gov.vn)" in found[3]
    assert "Nguyễn Minh Sơn (son@cds.bvhttdl.gov.vn)" in found[4]
    assert "“Tỉnh Không Có” không phải tỉnh/thành phố." in found[5] and "“nhiều”" in found[5]
    assert "Chưa có ngày và giờ." in found[6] and "Chưa có giảng viên." in found[6] and "“Ai đó”" in found[6]
    assert found[7] == ""


def test_a_plan_needs_a_time_column_of_either_kind(db, ministry_trainers):
    pending, _rows = checked(db, plan_csv("Nghệ An,xã,https://hop.vn/1,Vũ Văn Hạnh",
                                          header="Tỉnh,Đối tượng,Địa điểm,Giảng viên\n"))
    assert imports.missing_fields(pending) == ["when"]
    with pytest.raises(Exception, match="cột ngày và giờ"):
        imports.set_mapping(pending, {"province": 0, "audience": 1, "place": 2, "trainer": 3})
    imports.set_mapping(pending, {"day": 0, "province": 0, "audience": 1, "place": 2, "trainer": 3})
    assert imports.missing_fields(pending) == []


def test_import_cli_is_all_or_nothing_in_the_portal_s_language(runner, db, tmp_path):
    factories.create_user("admin")
    factories.create_user("trainer", email="gv1@bo.gov.vn")
    path = tmp_path / "plan.csv"
    path.write_bytes(plan_csv("20/01/2026,08:00,11:30,Nghệ An,xã,trực tuyến,https://hop.vn/1,gv1@bo.gov.vn,9",
                              "20/01/2026,08:00,11:30,Nghệ An,xã,trực tuyến,https://hop.vn/1,gv1@bo.gov.vn,9"))
    result = runner.invoke(args=["training", "import", str(path)])
    assert result.exit_code == 1 and sessions(db) == 0
    assert result.output.splitlines() == [
        "Dòng 3: Giảng viên đã có lịch vào thời gian này ở dòng 2. "
        "Cùng tỉnh và đối tượng đã có lịch vào thời gian này ở dòng 2.",
        "1 dòng có lỗi. Hãy sửa tệp rồi chạy lại lệnh nhập; chưa có dữ liệu nào được lưu."]
    path.write_bytes(plan_csv("20/01/2026,08:00,11:30,Nghệ An,xã,trực tuyến,https://hop.vn/1,gv1@bo.gov.vn,9"))
    result = runner.invoke(args=["training", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Đã nhập 1 buổi tập huấn." and sessions(db) == 1


def test_import_cli_names_the_columns_a_clerk_writes(runner, db, tmp_path, app, monkeypatch):
    factories.create_user("admin")
    path = tmp_path / "plan.csv"
    path.write_bytes(plan_csv("Nghệ An,xã,https://hop.vn/1", header="Tỉnh,Đối tượng,Địa điểm\n"))
    result = runner.invoke(args=["training", "import", str(path)])
    assert result.exit_code == 1
    assert result.output.strip() == ("Không tìm thấy cột: “Thời gian”, hoặc “Ngày” cùng “Bắt đầu” và “Kết thúc”, "
                                     "“Giảng viên”. Hãy ghi các tiêu đề này ở đầu các cột của bảng.")
    monkeypatch.setitem(app.config, "BABEL_DEFAULT_LOCALE", "en")
    refresh()  # the test's app context keeps the locale it looked up; a new `flask` process has none
    result = runner.invoke(args=["training", "import", str(path)])
    assert result.output.strip() == ("Columns not found: “Thời gian”, or “Ngày” with “Bắt đầu” and “Kết thúc”, "
                                     "“Giảng viên”. Write these headers above the table's columns.")


def test_import_cli_without_an_admin_says_so_in_vietnamese(runner, db, tmp_path):
    path = tmp_path / "plan.csv"
    path.write_bytes(plan_csv())
    result = runner.invoke(args=["training", "import", str(path)])
    assert result.exit_code == 1 and "Không có tài khoản quản trị" in result.output


def test_overlong_values_in_a_plan_are_row_errors(db):
    admin = factories.create_user("admin")
    factories.create_user("trainer", email="gv1@bo.gov.vn")
    text = (HEADER.strip() + ",Tên buổi\n" +
            f"20/01/2026,08:00,11:30,Nghệ An,xã,trực tiếp,{'Hội trường ' * 60},gv1@bo.gov.vn,9,{'T' * 300}\n")
    pending = keep_upload(admin, "training", "plan.csv", text.encode(), imports.HEADER_ALIASES)
    rows = imports.check_rows(pending)
    assert rows[0].errors


def test_unrecognised_headers_are_matched_by_hand_on_the_web(client, login_as, db, ministry_trainers):
    login_as("admin")
    data = plan_csv("Sáng 19/01/2026,Nghệ An,Sở,Hội trường,Vũ Văn Hạnh", header="Cột A,Cột B,Cột C,Cột D,Cột E\n")
    response = client.post("/training/import", data={"file": (io.BytesIO(data), "ke-hoach.csv")})
    page = client.get(response.location).get_data(as_text=True)
    assert "Ghép cột" in page and "Thời gian (ngày và giờ trong một ô)" in page
    token = response.location.rsplit("/", 1)[1]
    without_time = {"province": 1, "audience": 2, "place": 3, "trainer": 4}
    page = client.post(f"/training/import/{token}/mapping", data=without_time, follow_redirects=True)
    assert "Hãy chọn cột ngày và giờ (Thời gian), hoặc cột ngày." in page.get_data(as_text=True)
    page = client.post(f"/training/import/{token}/mapping", data=without_time | {"when": 0}, follow_redirects=True)
    assert "Lưu tất cả 1 dòng" in page.get_data(as_text=True) and "Vũ Văn Hạnh" in page.get_data(as_text=True)
