"""Vietnamese text helpers: folding for diacritics-insensitive search, and dictionary sort keys."""
import unicodedata

# The Vietnamese alphabet in dictionary order (đ after d, ă and â after a ...), with f, j, w, z for loanwords.
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
# Combining marks that are tones (secondary order), as opposed to the marks that make ă â ê ô ơ ư.
TONE_MARKS = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền hỏi ngã sắc nặng
LETTER_CODES = {letter: f"{index + 20:02d}" for index, letter in enumerate(ALPHABET)}
DIGIT_CODES = {str(digit): f"{digit + 10:02d}" for digit in range(10)}


def fold(text: str) -> str:
    """Lower-case text without diacritics ("Đắk Lắk" -> "dak lak") for search that ignores them."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def sort_key(text: str) -> str:
    """A key of ASCII digits that sorts Vietnamese names in dictionary order under any collation.

    Letters compare by the Vietnamese alphabet first (so "Đ" follows every "D"), tones only
    break ties, and a shorter name sorts before a longer one that starts with it.
    """
    letters: list[str] = []
    tones: list[str] = []
    for char in unicodedata.normalize("NFC", text.lower()):
        base, tone = split_tone(char)
        letters.append(LETTER_CODES.get(base) or DIGIT_CODES.get(base) or "01")
        tones.append(str(tone))
    return "".join(letters) + "00" + "".join(tones)


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
