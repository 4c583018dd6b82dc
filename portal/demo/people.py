"""Plausible Vietnamese names, phones and e-mails for demo and benchmark data (deterministic per seed)."""
import random

from portal.util.text import fold

SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
            "Dương", "Lý", "Đinh", "Lương", "Trịnh", "Mai")
MIDDLE_NAMES = ("Văn", "Thị", "Hữu", "Minh", "Thanh", "Quốc", "Ngọc", "Đức", "Thu", "Xuân", "Hoài", "Kim")
GIVEN_NAMES = ("An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng", "Hương", "Khánh",
               "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Oanh", "Phúc", "Quân", "Quyên", "Sơn", "Tâm", "Thảo",
               "Trang", "Trung", "Tuấn", "Vân", "Yến", "Đông", "Điệp")
COMMUNE_POSITIONS = ("Công chức Văn phòng - Thống kê", "Phó Chủ tịch UBND", "Chuyên viên Trung tâm phục vụ hành chính công",
                     "Công chức Văn hóa - Xã hội")
DEPARTMENT_POSITIONS = ("Phó Giám đốc Sở", "Chánh Văn phòng Sở", "Chuyên viên Văn phòng Sở", "Trưởng phòng Quản lý văn hóa")
MOBILE_PREFIXES = ("090", "091", "093", "094", "096", "097", "098", "086", "088", "070", "077", "081", "083", "085")


def full_name(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE_NAMES)} {rng.choice(GIVEN_NAMES)}"


def mobile(number: int) -> str:
    """A distinct E.164 mobile for each number below 14 million."""
    prefix = MOBILE_PREFIXES[number % len(MOBILE_PREFIXES)]
    return "+84" + prefix[1:] + f"{number // len(MOBILE_PREFIXES):07d}"


def email(name: str, number: int, domain: str) -> str:
    local = fold(name).replace(" ", ".")
    return f"{local}.{number}@{domain}"
