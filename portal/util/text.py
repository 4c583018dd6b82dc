"""Vietnamese text helpers: folding for diacritics-insensitive search, and dictionary sort keys."""
import re
import unicodedata

# The Vietnamese alphabet in dictionary order (đ after d, ă and â after a ...), with f, j, w, z for loanwords.
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
# Combining marks that are tones (secondary order), as opposed to the marks that make ă â ê ô ơ ư.
TONE_MARKS = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền hỏi ngã sắc nặng
LETTER_CODES = {letter: f"{index + 20:02d}" for index, letter in enumerate(ALPHABET)}
# A number sorts before any letter and after spaces and punctuation (code 01).
NUMBER_CODE = "10"
OTHER_CODE = "01"
NUMBER = re.compile(r"([0-9]+)")  # captured, so re.split keeps the numbers


def fold(text: str) -> str:
    """Lower-case text without diacritics ("Đắk Lắk" -> "dak lak") for search that ignores them."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.split())


def sort_key(text: str) -> str:
    """A key of ASCII digits that sorts Vietnamese names in dictionary order under any collation.

    Letters compare by the Vietnamese alphabet first (so "Đ" follows every "D"), tones only
    break ties (ngang, huyền, hỏi, ngã, sắc, nặng), a shorter name sorts before a longer one
    that starts with it, and numbers compare by value ("Phường 2" before "Phường 10").
    """
    letters: list[str] = []
    tones: list[str] = []
    for part in NUMBER.split(unicodedata.normalize("NFC", text.lower())):
        if NUMBER.fullmatch(part):
            letters.append(number_code(part))
            tones.append("0")
        else:
            add_letters(part, letters, tones)
    return "".join(letters) + "00" + "".join(tones)


def number_code(digits: str) -> str:
    """A run of ASCII digits as a code that orders by value: its length (two digits), then the digits.

    Leading zeros are dropped, so "02" and "2" share a code. Two length digits hold runs of up
    to 99 digits, far beyond any name of a unit, a session or a person.
    """
    value = str(int(digits))
    return NUMBER_CODE + f"{len(value):02d}" + value


def add_letters(text: str, letters: list[str], tones: list[str]) -> None:
    """Append each character's alphabet code and tone number (0 for none)."""
    for char in text:
        base, tone = split_tone(char)
        letters.append(LETTER_CODES.get(base, OTHER_CODE))
        tones.append(str(tone))


def split_tone(char: str) -> tuple[str, int]:
    """Separate a lower-case letter into its base letter (keeping ă â ê ô ơ ư) and its tone number."""
    decomposed = unicodedata.normalize("NFD", char)
    tone = 0
    kept = []
    for part in decomposed:
        if part in TONE_MARKS:
            tone = TONE_MARKS[part]
        else:
            kept.append(part)
    return unicodedata.normalize("NFC", "".join(kept)), tone
