"""The register of personal data: every table and column that holds some, with its class, purpose, basis, retention.

One list, read by the admin page, the public privacy notice and tests/privacy/test_register.py (which fails when a
model gains a column that looks personal and is neither listed here nor excused in NOT_PERSONAL). Texts come in
Vietnamese and English in the register itself, as the milestones keep theirs: the notice is the ministry's text,
not a user-interface string.

Classes: "basic" (names, phones, e-mails, units, addresses, free text a person wrote), "cccd" (the citizen ID), and
"attachment" (stored files, which may show people). "credential" is one more: password and token hashes identify
nobody and are not personal data of the law's lists, but they are the person's keys, are linked to them, and an
erasure must revoke them, so the register names them apart from the data a person would read about themselves.
"""
import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

CLASSES = {
    "basic": _l("Basic personal data"),
    "cccd": _l("Citizen ID (CCCD)"),
    "attachment": _l("Attached files"),
    "credential": _l("Credentials (hashes)"),
}
# Short names for the admin's table; BASES says each in full (the legend there, and the notice).
BASIS_NAMES = {"public_task": _l("Public task"), "consent": _l("Consent (Art. 9)")}
BASES = {
    "public_task": _l("Performing the ministry's public task: the rollout of the TTHC system "
                      "(Law 91/2025/QH15, processing without consent where a State agency acts under the law)"),
    "consent": _l("The person's consent (Law 91/2025/QH15, Art. 9), recorded with the notice version shown"),
}


@dataclass(frozen=True)
class Text:
    """A register text in both languages."""

    vi: str
    en: str

    def __call__(self, language: str) -> str:
        return self.en if language == "en" else self.vi


@dataclass(frozen=True)
class Entry:
    """One column holding personal data."""

    table: str
    column: str
    kind: str  # a key of CLASSES
    purpose: Text
    basis: str  # a key of BASES
    retention: Text

    @property
    def label(self) -> Text:
        return LABELS[self.column]

    @property
    def kind_label(self):
        return CLASSES[self.kind]

    @property
    def basis_label(self):
        return BASES[self.basis]

    @property
    def basis_name(self):
        return BASIS_NAMES[self.basis]


ACCOUNTS = Text("Tài khoản đăng nhập cổng: biết ai đăng nhập, vai trò và phạm vi của họ.",
                "Portal accounts: who signs in, their role and scope.")
CONTACTS = Text("Đầu mối của sở, ngành và xã trong chuyển đổi: để mời tập huấn, báo lịch và liên hệ hỗ trợ.",
                "Focal contacts of departments and communes during the transition: invitations, schedules, support.")
REQUESTS = Text("Đề nghị cấp tài khoản Hệ thống TTHC cho công chức: định danh người được cấp.",
                "Requests for TTHC system accounts for civil servants: identifying the person to be granted one.")
SUPPORT = Text("Hỗ trợ kỹ thuật: yêu cầu hỗ trợ, trao đổi và ảnh chụp màn hình người dùng gửi.",
               "Technical support: tickets, their thread and the screenshots people send.")
DIRECTORY = Text("Danh bạ hỗ trợ công khai: cán bộ hỗ trợ của Bộ và đầu mối của đơn vị cung cấp phần mềm.",
                 "The support directory: the ministry's support staff and the software vendors' contacts.")
TRAINING = Text("Tập huấn: ai đăng ký, ai tham dự.", "Training: who enrolled and who attended.")
MAIL = Text("Thư thông báo gửi đi (lịch tập huấn, trả lời hỗ trợ, cấp tài khoản).",
            "Notices sent by e-mail (training schedules, support replies, account decisions).")
AUDIT = Text("Nhật ký kiểm tra: ai xem, xuất hoặc sửa dữ liệu cá nhân, từ địa chỉ nào.",
             "The audit log: who viewed, exported or changed personal data, from which address.")
IMPORTS = Text("Tệp danh sách đầu mối đang nhập, giữ để xem trước khi xác nhận.",
               "Contact lists being imported, kept for the preview before they are confirmed.")
OWN_COPY = Text("Bản sao toàn bộ dữ liệu của một người, do chính người đó yêu cầu tải về.",
                "A copy of all of a person's data, which they asked to download.")
RIGHTS = Text("Yêu cầu của một người về dữ liệu của mình (xoá, hạn chế, phản đối, sửa) và thời hạn trả lời.",
              "A person's requests about their data (erasure, restriction, objection, correction) and their deadlines.")
KEYS = Text("Đăng nhập an toàn và lịch cá nhân: chỉ lưu mã băm, không lưu mật khẩu hay mã gốc.",
            "Safe sign-in and personal calendars: only hashes are stored, never the password or the token.")

UNTIL_GRANTED = Text("Đến khi tài khoản được cấp hoặc bị từ chối, thêm 30 ngày.",
                     "Until the account is granted or refused, then 30 days.")
TRANSITION = Text("Đến 31/12/2026 (hết giai đoạn chuyển đổi), trừ khi Bộ gia hạn.",
                  "Until 31/12/2026 (the end of the transition), unless the ministry extends it.")
WHILE_SUPPORT = Text("Trong thời gian còn hỗ trợ.", "While support runs.")
WHILE_ACCOUNT = Text("Khi tài khoản còn hoạt động.", "While the account exists.")
WHILE_PUBLISHED = Text("Khi còn đăng trên danh bạ.", "While listed in the directory.")
ONE_DAY = Text("Một ngày, hoặc đến khi nhập xong.", "One day, or until the import is confirmed.")
SEVEN_DAYS = Text("Bảy ngày, rồi tệp bị xoá.", "Seven days, then the file is deleted.")
REQUEST_KEPT = Text("Hai năm sau khi yêu cầu được giải quyết, để chứng minh đã trả lời đúng hạn; khi xoá dữ liệu, "
                     "thư điện tử chỉ còn mã băm có khoá.",
                     "Two years after the request is settled, to show it was answered in time; after an erasure the "
                     "e-mail is kept only as a keyed hash.")
ERASED = Text("Khi cổng còn vận hành: chỉ mã băm có khoá, để nhận ra một lần đăng ký lại.",
              "While the portal runs: only a keyed hash, to recognise a new registration.")
WHILE_PORTAL = Text("Khi cổng còn vận hành; việc xoá dữ liệu được ghi lại không kèm giá trị đã xoá.",
                    "While the portal runs; erasures are recorded without the erased values.")


NAME, PHONE, EMAIL = Text("Họ tên", "Name"), Text("Số điện thoại", "Phone"), Text("Thư điện tử", "E-mail")
FILE_NAME, UNIT = Text("Tên tệp", "File name"), Text("Đơn vị công tác", "Unit")
# What a column holds, in words a person reads in the notice (column names mean the same in every table here).
LABELS: dict[str, Text] = {
    "full_name": NAME, "name": NAME, "contact_name": NAME,
    "phone": PHONE, "work_phone": PHONE, "contact_phone": PHONE,
    "email": EMAIL, "contact_email": EMAIL, "recipient": EMAIL,
    "unit": UNIT, "unit_name": UNIT,
    "file_name": FILE_NAME, "filename": FILE_NAME, "attachment_name": FILE_NAME,
    "position": Text("Chức vụ", "Position"),
    "cccd": Text("Số căn cước công dân (CCCD)", "Citizen ID number (CCCD)"),
    "notice_version": Text("Phiên bản thông báo đã đồng ý", "Version of the notice accepted"),
    "consent_at": Text("Thời điểm đồng ý", "When consent was given"),
    "consent_withdrawn_at": Text("Thời điểm rút lại sự đồng ý", "When consent was withdrawn"),
    "reminders_notice_version": Text("Phiên bản thông báo thư nhắc đã đồng ý",
                                     "Version of the reminders notice accepted"),
    "reminders_consent_at": Text("Thời điểm đồng ý nhận thư nhắc", "When consent to reminders was given"),
    "reminders_withdrawn_at": Text("Thời điểm rút lại đồng ý nhận thư nhắc", "When consent to reminders was withdrawn"),
    "changes": Text("Giá trị trước và sau mỗi lần sửa", "Values before and after each change"),
    "note": Text("Ghi chú khi xét duyệt", "The decision's note"),
    "attendance": Text("Điểm danh", "Attendance"),
    "title": Text("Tiêu đề", "Title"),
    "description": Text("Mô tả vấn đề", "Description of the problem"),
    "search_text": Text("Bản sao để tìm kiếm", "A copy kept for search"),
    "rating_comment": Text("Nhận xét khi đánh giá", "Rating comment"),
    "body": Text("Nội dung", "Text"),
    "subject": Text("Tiêu đề thư", "Subject"),
    "attachment": Text("Tệp gửi kèm thư (lời mời lịch)", "The mail's attachment (a calendar invitation)"),
    "stored_name": Text("Tệp đã lưu (ảnh chụp màn hình, tài liệu)", "The stored file (screenshots, documents)"),
    "last_login_at": Text("Lần đăng nhập cuối", "Last sign-in"),
    "password_hash": Text("Mã băm mật khẩu", "Password hash"),
    "token_hash": Text("Mã băm của liên kết", "Hash of the link's token"),
    "address": Text("Địa chỉ IP", "IP address"),
    "detail": Text("Chi tiết thao tác hoặc nội dung yêu cầu", "What was done, or what the request says"),
    "answer": Text("Trả lời yêu cầu", "The answer to a request"),
    "email_hash": Text("Mã băm có khoá của thư điện tử", "Keyed hash of the e-mail"),
    "rows": Text("Các dòng của tệp đang nhập", "Rows of the file being imported"),
}


def _entries(table: str, kind: str, purpose: Text, basis: str, retention: Text, *columns: str) -> list[Entry]:
    return [Entry(table, column, kind, purpose, basis, retention) for column in columns]


REGISTER: tuple[Entry, ...] = tuple(
    _entries("users", "basic", ACCOUNTS, "public_task", WHILE_ACCOUNT, "email", "full_name", "last_login_at")
    + _entries("users", "credential", KEYS, "public_task", WHILE_ACCOUNT, "password_hash")
    + _entries("password_tokens", "credential", KEYS, "public_task", Text(
        "Đến khi dùng hoặc hết hạn.", "Until used or expired."), "token_hash")
    + _entries("feed_tokens", "credential", KEYS, "public_task", Text(
        "Đến khi người dùng thu hồi liên kết lịch hoặc tài khoản bị xoá.",
        "Until the person revokes the calendar link or the account is erased."), "token_hash")
    + _entries("contacts", "basic", CONTACTS, "public_task", TRANSITION,
               "full_name", "position", "unit_name", "phone", "email")
    + _entries("contacts", "cccd", CONTACTS, "consent", TRANSITION, "cccd")
    + _entries("contacts", "basic", CONTACTS, "consent", TRANSITION, "notice_version", "consent_at",
               "consent_withdrawn_at", "reminders_notice_version", "reminders_consent_at", "reminders_withdrawn_at")
    + _entries("contact_changes", "basic", CONTACTS, "public_task", TRANSITION, "changes")
    + _entries("account_requests", "basic", REQUESTS, "public_task", UNTIL_GRANTED,
               "full_name", "unit", "phone", "email", "note")
    + _entries("account_requests", "cccd", REQUESTS, "public_task", UNTIL_GRANTED, "cccd")
    + _entries("account_requests", "basic", REQUESTS, "consent", UNTIL_GRANTED, "notice_version", "consent_at")
    + _entries("enrolments", "basic", TRAINING, "public_task", TRANSITION, "attendance")
    + _entries("tickets", "basic", SUPPORT, "public_task", WHILE_SUPPORT,
               "title", "description", "search_text", "rating_comment")
    + _entries("ticket_messages", "basic", SUPPORT, "public_task", WHILE_SUPPORT, "body")
    + _entries("ticket_attachments", "attachment", SUPPORT, "public_task", WHILE_SUPPORT, "stored_name", "file_name")
    + _entries("support_agents", "basic", DIRECTORY, "public_task", WHILE_ACCOUNT, "work_phone")
    + _entries("support_contacts", "basic", DIRECTORY, "public_task", WHILE_PUBLISHED, "name", "phone", "email")
    + _entries("integrations", "basic", DIRECTORY, "public_task", TRANSITION,
               "contact_name", "contact_phone", "contact_email")
    + _entries("outbox_messages", "basic", MAIL, "public_task", WHILE_SUPPORT,
               "recipient", "subject", "body", "attachment_name", "attachment")
    + _entries("audit_events", "basic", AUDIT, "public_task", WHILE_PORTAL, "address", "detail")
    + _entries("pending_imports", "basic", IMPORTS, "public_task", ONE_DAY, "filename", "rows")
    + _entries("data_exports", "attachment", OWN_COPY, "consent", SEVEN_DAYS, "stored_name")
    + _entries("privacy_requests", "basic", RIGHTS, "public_task", REQUEST_KEPT, "email", "phone", "detail", "answer")
    + _entries("privacy_requests", "credential", RIGHTS, "public_task", REQUEST_KEPT, "email_hash", "token_hash")
    + _entries("erased_identities", "credential", RIGHTS, "public_task", ERASED, "email_hash")
)

# Columns whose names look personal but that hold nothing about a person, each with the reason.
NOT_PERSONAL: dict[tuple[str, str], str] = {
    ("provinces", "name"): "an administrative unit",
    ("provinces", "search_name"): "an administrative unit, folded for search",
    ("provinces", "phone_code"): "the province's telephone area code",
    ("communes", "name"): "an administrative unit",
    ("communes", "search_name"): "an administrative unit, folded for search",
    ("departments", "name"): "a provincial department",
    ("ticket_categories", "name"): "a support category",
    ("integration_kinds", "name"): "a kind of system integration",
    ("integration_kinds", "name_en"): "a kind of system integration",
    ("job_states", "name"): "a scheduled job",
    ("api_tokens", "name"): "the system an API token is for",
    ("materials", "stored_name"): "a published training document, for everyone, not about a person",
    ("materials", "file_name"): "a published training document, for everyone, not about a person",
    ("outbox_messages", "attachment_type"): "a MIME type",
}


def by_table() -> list[tuple[str, list[Entry]]]:
    """The register grouped by table, tables in the order they first appear."""
    groups: dict[str, list[Entry]] = {}
    for entry in REGISTER:
        groups.setdefault(entry.table, []).append(entry)
    return list(groups.items())


@dataclass
class Use:
    """One purpose as the notice tells it: what is held for it, on which bases, for how long."""

    purpose: Text
    data: list[Text]
    bases: dict[str, list[Text]]  # each basis with the data held on it
    retentions: list[Text]


def uses() -> list[Use]:
    """The register by purpose, for the notice: a person reads what is held for what, not table names."""
    found: dict[Text, Use] = {}
    for entry in REGISTER:
        use = found.setdefault(entry.purpose, Use(entry.purpose, [], {}, []))
        on_basis = use.bases.setdefault(entry.basis, [])
        for items, item in ((use.data, entry.label), (on_basis, entry.label), (use.retentions, entry.retention)):
            if item not in items:
                items.append(item)
    return list(found.values())


# Column names that look personal: any name, phone, e-mail, ID number, address (postal or IP), attached file or
# recipient, as a whole word between underscores (so `full_name`, `contact_phone`, `ip_address`, `file_name`,
# `attachment_type` match; `codename`, `shipping` and `description` do not). Free text (`body`, `description`,
# `note`) is not matched: such names say nothing about what a person writes there, so those columns are listed by
# reading the models, not found by the pattern.
PERSONAL_NAME = re.compile(
    r"(?:^|_)(?:name|filename|phone|mobile|email|e_mail|mail|cccd|cmnd|citizen|identity|address|ip|"
    r"attachment|recipient|birth|birthday|dob)(?:_|$)")


def unlisted_columns(metadata) -> list[str]:
    """`table.column` of each column in `metadata` whose name looks personal and that the register does not cover."""
    covered = {(entry.table, entry.column) for entry in REGISTER} | set(NOT_PERSONAL)
    return [f"{table.name}.{column.name}" for table in metadata.sorted_tables for column in table.columns
            if PERSONAL_NAME.search(column.name) and (table.name, column.name) not in covered]


def stale_entries(metadata) -> list[str]:
    """`table.column` of each register entry or excusal naming a column `metadata` does not have."""
    present = {(table.name, column.name) for table in metadata.sorted_tables for column in table.columns}
    named = [(entry.table, entry.column) for entry in REGISTER] + list(NOT_PERSONAL)
    return [f"{table}.{column}" for table, column in named if (table, column) not in present]
