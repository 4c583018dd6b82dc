"""Weekly and monthly reports: what changed in a period, nationally or for one province, as rows and .xlsx."""
import io
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale
from openpyxl import Workbook
from sqlalchemy import case, func, select

from portal.accounts.models import AccountRequest
from portal.backlog import services as backlog
from portal.contacts.models import Contact
from portal.contacts.spreadsheets import text_cell
from portal.core.errors import DomainError
from portal.core.extensions import db
from portal.integrations.export import status_words
from portal.integrations.models import Integration, IntegrationChange, IntegrationKind
from portal.support.models import Ticket
from portal.training.models import Enrolment, TrainingSession, session_provinces
from portal.units.models import Province
from portal.util.query import FIRST_DAY, LAST_DAY, parse_iso_week, parse_month

METRICS = (
    ("contacts", "Cán bộ đầu mối đăng ký mới"),
    ("sessions", "Buổi tập huấn đã tổ chức"),
    ("cancelled", "Buổi tập huấn bị hủy"),
    ("present", "Lượt tham dự"),
    ("opened", "Phiếu hỗ trợ mới"),
    ("resolved", "Phiếu hỗ trợ đã xử lý"),
    ("overdue", "Phiếu quá hạn cuối kỳ"),
    ("live", "Tích hợp, tiện ích đã vận hành"),
    ("requested", "Yêu cầu cấp tài khoản mới"),
    ("granted", "Tài khoản đã cấp"),
    ("pending", "Yêu cầu cấp tài khoản chờ xử lý cuối kỳ"),
    ("backlog", "Hồ sơ chưa tiếp nhận được do chưa có tài khoản (số liệu mới nhất)"),
)


@dataclass
class Period:
    label: str
    starts: datetime
    ends: datetime
    name: str  # 2026-W04 or 2026-01, as the picker writes it (and in the download's file name)
    kind: str = "weekly"
    first: date | None = None  # the Monday or the first of the month: the key of the period's note


def vietnam() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def week_period(iso_week: str) -> Period:
    """2026-W04 -> Monday 19/01/2026 00:00 to the next Monday, in Vietnam."""
    monday = parse_iso_week(iso_week)
    if monday is None:
        raise DomainError(f"Not an ISO week from {FIRST_DAY.year} to {LAST_DAY.year}: {iso_week} (e.g. 2026-W04)")
    year, week, _ = monday.isocalendar()
    starts = datetime.combine(monday, datetime.min.time(), vietnam())
    return Period(f"Tuần {week:02d}/{year} ({monday:%d/%m/%Y} - {monday + timedelta(days=6):%d/%m/%Y})",
                  starts, starts + timedelta(days=7), f"{year}-W{week:02d}", "weekly", monday)


def month_period(month: str) -> Period:
    first = parse_month(month)
    if first is None:
        raise DomainError(f"Not a month from {FIRST_DAY.year} to {LAST_DAY.year}: {month} (e.g. 2026-01)")
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return Period(f"Tháng {first:%m/%Y}", datetime.combine(first, datetime.min.time(), vietnam()),
                  datetime.combine(following, datetime.min.time(), vietnam()), f"{first:%Y-%m}", "monthly", first)


def previous_period(current: Period) -> Period | None:
    """The week or month before, to compare with; None before the first period the picker accepts."""
    before = current.first - timedelta(days=1)
    try:
        if current.kind == "weekly":
            return week_period(before.strftime("%G-W%V"))
        return month_period(before.strftime("%Y-%m"))
    except DomainError:
        return None


def change(now: int, before: int | None) -> tuple[str, str]:
    """The change against the previous period as (arrow, signed difference); "không đổi" when equal."""
    if before is None:
        return "", ""
    difference = now - before
    if difference == 0:
        return "=", "không đổi"
    return ("▲" if difference > 0 else "▼"), f"{difference:+d}"


@dataclass
class PeriodReport:
    period: Period
    province: Province | None
    rows: dict = field(default_factory=dict)  # province code -> {metric: count}
    names: dict = field(default_factory=dict)
    changes: list = field(default_factory=list)  # (integration change, province code, kind) in the period
    previous: "PeriodReport | None" = None  # the period before, for the change of each figure
    note: str = ""  # the ministry's "Khó khăn, đề xuất"

    def total(self, metric: str) -> int:
        return sum(row.get(metric, 0) for row in self.rows.values())

    def change(self, metric: str) -> tuple[str, str]:
        return change(self.total(metric), self.previous.total(metric) if self.previous else None)


def grouped(query, target: dict, metric: str) -> None:
    for code, count in db.session.execute(query).all():
        target.setdefault(code, {})[metric] = count


def counted(condition):
    """The number of rows of a group that meet the condition."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def build(period: Period, province: Province | None = None, compare: bool = True) -> PeriodReport:
    """Every metric per province for the period, one grouped query each, and the same for the period before."""
    report = PeriodReport(period, province)
    provinces = select(Province.code, Province.name).order_by(Province.code)
    if province is not None:
        provinces = provinces.where(Province.code == province.code)
    report.names = dict(db.session.execute(provinces).all())
    codes = list(report.names)
    for code in codes:
        report.rows[code] = {}
    starts, ends = period.starts, period.ends
    grouped(select(Contact.province_code, func.count(Contact.id))
            .where(Contact.created_at >= starts, Contact.created_at < ends, Contact.province_code.in_(codes))
            .group_by(Contact.province_code), report.rows, "contacts")
    held = (select(session_provinces.c.province_code, func.count(TrainingSession.id))
            .join(TrainingSession, TrainingSession.id == session_provinces.c.session_id)
            .where(TrainingSession.starts_at >= starts, TrainingSession.starts_at < ends,
                   session_provinces.c.province_code.in_(codes)))
    grouped(held.where(TrainingSession.status != "cancelled").group_by(session_provinces.c.province_code),
            report.rows, "sessions")
    grouped(held.where(TrainingSession.status == "cancelled").group_by(session_provinces.c.province_code),
            report.rows, "cancelled")
    grouped(select(Contact.province_code, func.count(Enrolment.id))
            .join(Contact, Contact.id == Enrolment.contact_id)
            .join(TrainingSession, TrainingSession.id == Enrolment.session_id)
            .where(Enrolment.attendance == "present", TrainingSession.starts_at >= starts,
                   TrainingSession.starts_at < ends, Contact.province_code.in_(codes))
            .group_by(Contact.province_code), report.rows, "present")
    grouped(select(Ticket.province_code, func.count(Ticket.id))
            .where(Ticket.created_at >= starts, Ticket.created_at < ends, Ticket.province_code.in_(codes))
            .group_by(Ticket.province_code), report.rows, "opened")
    grouped(select(Ticket.province_code, func.count(Ticket.id))
            .where(Ticket.resolved_at >= starts, Ticket.resolved_at < ends, Ticket.province_code.in_(codes))
            .group_by(Ticket.province_code), report.rows, "resolved")
    grouped(select(Ticket.province_code, func.count(Ticket.id))
            .where(Ticket.created_at < ends, Ticket.resolution_due < ends, Ticket.province_code.in_(codes),
                   (Ticket.resolved_at.is_(None)) | (Ticket.resolved_at >= ends))
            .group_by(Ticket.province_code), report.rows, "overdue")
    grouped(select(Integration.province_code, func.count())
            .where(Integration.status == "live", Integration.status_changed_at < ends,
                   Integration.province_code.in_(codes))
            .group_by(Integration.province_code), report.rows, "live")
    account_requests = db.session.execute(
        select(AccountRequest.province_code,
               counted((AccountRequest.created_at >= starts) & (AccountRequest.created_at < ends)),
               counted((AccountRequest.status == "granted") & (AccountRequest.decided_at >= starts)
                       & (AccountRequest.decided_at < ends)),
               counted(AccountRequest.decided_at.is_(None) | (AccountRequest.decided_at >= ends)))
        .where(AccountRequest.created_at < ends, AccountRequest.province_code.in_(codes))
        .group_by(AccountRequest.province_code)).all()
    for code, requested, granted, pending in account_requests:
        report.rows[code].update(requested=int(requested), granted=int(granted), pending=int(pending))
    last_day = (period.ends - timedelta(days=1)).date()
    for code, latest in backlog.latest_by_province(codes, on=last_day).items():
        report.rows[code]["backlog"] = latest.dossiers
    report.changes = db.session.execute(
        select(IntegrationChange, Integration.province_code, IntegrationKind)
        .join(Integration, Integration.id == IntegrationChange.integration_id)
        .join(IntegrationKind, IntegrationKind.id == Integration.kind_id)
        .where(IntegrationChange.at >= starts, IntegrationChange.at < ends, Integration.province_code.in_(codes))
        .order_by(IntegrationChange.at, IntegrationChange.id)
    ).all()
    before = previous_period(period) if compare else None
    if before is not None:
        report.previous = build(before, province, compare=False)
    return report


def workbook_bytes(report: PeriodReport) -> bytes:
    """The report in Vietnamese: a summary sheet and a sheet per province."""
    workbook = Workbook(write_only=True)
    summary = workbook.create_sheet("Tổng hợp")
    scope = report.province.name if report.province else "Toàn quốc"
    summary.append([text_cell(summary, f"BÁO CÁO TIẾN ĐỘ TRIỂN KHAI HỆ THỐNG TTHC - {scope.upper()}", bold=True)])
    summary.append([text_cell(summary, report.period.label)])
    summary.append([])
    summary.append([text_cell(summary, heading, bold=True) for heading in
                    ("Nội dung", "Số lượng", "Kỳ trước", "Thay đổi")])
    for metric, label in METRICS:
        arrow, difference = report.change(metric)
        summary.append([text_cell(summary, label), report.total(metric),
                        report.previous.total(metric) if report.previous else None,
                        text_cell(summary, f"{arrow} {difference}".strip())])
    summary.append([])
    summary.append([text_cell(summary, "Thay đổi về tích hợp, tiện ích trong kỳ", bold=True)])
    with force_locale("vi"):
        words = status_words()
    for change, province_code, kind in report.changes:
        summary.append([text_cell(summary, report.names.get(province_code, "")), text_cell(summary, kind.name),
                        text_cell(summary, f"{words[change.old_status]} → {words[change.new_status]}"),
                        text_cell(summary, change.at.astimezone(vietnam()).strftime("%d/%m/%Y"))])
    detail = workbook.create_sheet("Theo tỉnh")
    detail.append([text_cell(detail, "Tỉnh/thành phố", bold=True)] + [text_cell(detail, label, bold=True)
                                                                         for _, label in METRICS])
    for code, name in report.names.items():
        detail.append([text_cell(detail, name)] + [report.rows[code].get(metric, 0) for metric, _ in METRICS])
    notes = workbook.create_sheet("Khó khăn, đề xuất")
    notes.append([text_cell(notes, "KHÓ KHĂN, ĐỀ XUẤT", bold=True)])
    notes.append([text_cell(notes, report.period.label)])
    for line in (report.note or "Không có.").splitlines():
        notes.append([text_cell(notes, line)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
