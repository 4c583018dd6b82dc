"""The notices a person agrees to, each purpose with its versions, so a stored version always names a real text.

Law 91/2025/QH15 (Art. 9) asks for consent that is informed, given for each purpose and verifiable: the portal
records the version a person accepted (contacts.notice_version, account_requests.notice_version), and this module
keeps the words of every version ever shown. A published version is never edited: a new text is a new version,
and `CURRENT` moves to it; rows keep pointing at the text they were shown (tests/privacy/test_consents.py checks
that every version in the demo data exists here). Texts are the ministry's, in both languages, like the register's.
"""
from dataclasses import dataclass
from datetime import date

from portal.privacy.register import Text

PURPOSES = {
    "contact": Text("Đăng ký cán bộ đầu mối", "Focal-contact registration"),
    "account_request": Text("Đề nghị cấp tài khoản Hệ thống TTHC", "TTHC system account request"),
    "reminders": Text("Thư nhắc lịch tập huấn", "Training session reminders by e-mail"),
}


@dataclass(frozen=True)
class Notice:
    """One version of one purpose's notice, as it was shown."""

    purpose: str
    version: str
    published: date
    text: Text

    @property
    def title(self) -> Text:
        return PURPOSES[self.purpose]

    def paragraphs(self, language: str) -> list[str]:
        return self.text(language).split("\n\n")


NOTICES: tuple[Notice, ...] = (
    # The two texts in force from the start: the words the forms showed beside the checkbox until December 2026.
    Notice("contact", "2026-01", date(2026, 1, 1), Text(
        "Bộ thu thập họ tên, chức vụ, số điện thoại, email và (chỉ khi đề nghị cấp tài khoản) số CCCD của cán bộ "
        "đầu mối để tổ chức triển khai, tập huấn và hỗ trợ sử dụng hệ thống TTHC. Cán bộ của Bộ và cán bộ đầu mối "
        "của tỉnh được xem các thông tin này; người dùng khác chỉ thấy thông tin đã che. Số CCCD chỉ hiển thị cho "
        "quản trị viên của Bộ, mỗi lần xem đều được ghi nhật ký, và được xóa khi thay người.",
        "The ministry collects the name, position, phone, e-mail and, only for account requests, the CCCD number of "
        "each focal contact to organise the rollout, training and support of the TTHC system. Ministry staff and "
        "your province's coordinator see these details; other users see them masked. The CCCD is shown only to "
        "ministry administrators, each view is logged, and it is erased when the person is replaced.")),
    Notice("account_request", "2026-01", date(2026, 1, 1), Text(
        "Số CCCD cần cho việc tạo tài khoản. Chỉ quản trị viên của Bộ xem được đầy đủ; mỗi lần xem đều được ghi "
        "nhật ký.",
        "The CCCD number is needed by the system that creates the account. Only ministry administrators see it in "
        "full; each view is logged.")),
    Notice("contact", "2026-12", date(2026, 12, 3), Text(
        "Bộ thu thập họ tên, chức vụ, đơn vị, số điện thoại và thư điện tử của cán bộ đầu mối để tổ chức triển "
        "khai, tập huấn và hỗ trợ Hệ thống TTHC trong giai đoạn chuyển đổi. Đây là nhiệm vụ của cơ quan nhà nước "
        "theo quy định, được Luật Bảo vệ dữ liệu cá nhân (Luật số 91/2025/QH15) cho phép xử lý mà không cần sự "
        "đồng ý. Các thông tin này được giữ đến 31/12/2026, trừ khi Bộ gia hạn.\n\n"
        "Hai việc dưới đây chỉ làm khi người được đăng ký đồng ý (Điều 9 của Luật): giữ số CCCD của họ, chỉ dùng "
        "khi đề nghị cấp tài khoản; và gửi thư nhắc trước mỗi buổi tập huấn họ được xếp lịch. Số CCCD chỉ quản trị "
        "viên của Bộ xem được đầy đủ, mỗi lần xem đều được ghi nhật ký; số này bị xoá khi thay người.\n\n"
        "Người được đăng ký có thể xem dữ liệu của mình, sửa, tải bản sao, rút lại từng sự đồng ý (số CCCD bị xoá "
        "ngay; thư nhắc dừng) và yêu cầu xoá hoặc hạn chế xử lý, tại trang “Dữ liệu của tôi” khi có tài khoản "
        "cổng, hoặc theo hướng dẫn trong Thông báo bảo vệ dữ liệu cá nhân ở cuối mỗi trang. Im lặng hay không phản hồi không được coi là đồng ý.",
        "The ministry collects the name, position, unit, phone and e-mail of each focal contact to organise the "
        "rollout, training and support of the TTHC system during the transition. This is a State agency's task "
        "under the law, which the Personal Data Protection Law (Law 91/2025/QH15) allows without consent. These "
        "details are kept until 31/12/2026 unless the ministry extends it.\n\n"
        "Two things are done only with the registered person's consent (Art. 9 of the Law): keeping their CCCD "
        "number, used only for an account request; and e-mailing them a reminder before each training session "
        "they are booked on. Only ministry administrators see the full CCCD, each view is logged, and it is erased "
        "when the person is replaced.\n\n"
        "The registered person can see their data, correct it, download a copy, withdraw each consent (the CCCD "
        "is erased at once; reminders stop) and ask for erasure or restriction, on the “My data” page with a portal "
        "account, or as the privacy notice linked at the foot of every page explains. Silence or no answer is never taken as consent.")),
    Notice("account_request", "2026-12", date(2026, 12, 3), Text(
        "Bộ cần họ tên, đơn vị, số điện thoại, thư điện tử và số CCCD của công chức để tạo tài khoản và phân quyền "
        "trên Hệ thống TTHC. Đây là nhiệm vụ của cơ quan nhà nước theo quy định (Luật số 91/2025/QH15), nên số CCCD "
        "được xử lý mà không dựa vào sự đồng ý và không rút lại được khi đề nghị đang được xét.\n\n"
        "Chỉ quản trị viên của Bộ xem được số CCCD đầy đủ; mỗi lần xem đều được ghi nhật ký. Số CCCD bị xoá 30 "
        "ngày sau khi đề nghị được chấp thuận hoặc từ chối. Người được đề nghị có thể xem, sửa hoặc yêu cầu xoá "
        "dữ liệu của mình tại trang “Dữ liệu của tôi” khi có tài khoản cổng, hoặc theo hướng dẫn trong Thông báo "
        "bảo vệ dữ liệu cá nhân ở cuối mỗi trang.",
        "The ministry needs the civil servant's name, unit, phone, e-mail and CCCD number to create their account "
        "and permissions on the TTHC system. This is a State agency's task under the law (Law 91/2025/QH15), so "
        "the CCCD is processed without relying on consent and cannot be withdrawn while the request is handled.\n\n"
        "Only ministry administrators see the full CCCD; each view is logged. The CCCD is erased 30 days after the "
        "request is granted or refused. The person can see, correct or ask to erase their data on the “My data” "
        "page with a portal account, or as the privacy notice linked at the foot of every page explains.")),
    Notice("reminders", "2026-12", date(2026, 12, 3), Text(
        "Cổng gửi thư điện tử nhắc lịch trước mỗi buổi tập huấn bạn được xếp: thời gian, địa điểm hoặc đường dẫn "
        "họp trực tuyến, tài liệu. Thư chỉ gửi tới địa chỉ thư điện tử trong mục đầu mối của bạn, khi bạn đồng ý "
        "(Điều 9, Luật số 91/2025/QH15). Bạn có thể rút lại sự đồng ý bất cứ lúc nào tại trang này; từ khi rút, "
        "cổng không gửi thư nhắc nữa. Thư xác nhận chỗ kèm lời mời lịch và thông báo buổi học thay đổi hoặc bị "
        "huỷ vẫn được gửi, vì là một phần của việc tổ chức tập huấn.",
        "The portal e-mails you a reminder before each training session you are booked on: its time, place or "
        "online meeting link, and materials. Reminders go only to the e-mail address of your focal-contact entry, "
        "with your consent (Art. 9, Law 91/2025/QH15). You can withdraw it at any time on this page; from then on "
        "the portal sends no more reminders. Seat confirmations with their calendar invitation and notices of a "
        "changed or cancelled session are still sent: they are part of organising the training.")),
)

CURRENT = {"contact": "2026-12", "account_request": "2026-12", "reminders": "2026-12"}


def get(purpose: str, version: str) -> Notice | None:
    """The text of a version as it was shown, or None for a version this module never published."""
    return next((n for n in NOTICES if n.purpose == purpose and n.version == version), None)


def current(purpose: str) -> Notice:
    """The version shown beside the checkbox today."""
    notice = get(purpose, CURRENT[purpose])
    if notice is None:
        raise LookupError(f"no notice {purpose} {CURRENT[purpose]}")
    return notice
