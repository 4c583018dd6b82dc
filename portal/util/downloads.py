"""File downloads: every Content-Disposition the portal sends names the file only, never a path.

An upload's name is whatever the browser (or a script) sent: `../../../../etc/passwd.pdf`, `C:\\Users\\x\\a.pdf`,
a name with a quote, a newline or a right-to-left override that turns `gpj.exe` into `exe.jpg` on screen.
`download_name` keeps the last path part with those characters removed; `content_disposition` writes it as a
plain ASCII `filename` for old clients and the exact UTF-8 name in `filename*` (RFC 6266 / RFC 5987), so
"Hướng dẫn sử dụng.pdf" arrives as itself.
"""
import re
import unicodedata
from urllib.parse import quote

from flask import Response

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_NAME_LENGTH = 200
PATH_SEPARATORS = re.compile(r"[/\\]")
# RFC 5987 attr-char: what filename* may carry unescaped.
ATTR_CHARS = "!#$&+-.^_`|~"


def download_name(name: str | None, fallback: str = "file") -> str:
    """The file's own name: no folders (either slash), no control, format or quote characters, at most 200
    characters with the extension kept; `fallback` when nothing is left."""
    name = " ".join(PATH_SEPARATORS.split(unicodedata.normalize("NFC", name or ""))[-1].split())  # CR, LF, tab
    # Cc: the other controls (NUL, ESC); Cf: invisible format characters (bidi overrides, zero-width spaces).
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf") and ch not in "\"'")
    name = " ".join(name.split()).strip(" .")  # ".." and " .pdf" leave nothing to hide behind
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        if dot and stem and len(extension) <= 20:
            name = stem[:MAX_NAME_LENGTH - len(extension) - 1].rstrip(" .") + "." + extension
        else:
            name = name[:MAX_NAME_LENGTH]
    return name or fallback


def ascii_name(name: str) -> str:
    """The name without diacritics ("Đề cương.pdf" -> "De cuong.pdf"), for clients that ignore filename*."""
    decomposed = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    simple = decomposed.encode("ascii", "ignore").decode("ascii")
    return " ".join(simple.replace("%", "").split()) or "file"


def content_disposition(name: str | None, inline: bool = False) -> str:
    """`attachment; filename="..."` (or inline) for the cleaned name, with filename* when it is not plain ASCII."""
    clean = download_name(name)
    value = f'{"inline" if inline else "attachment"}; filename="{ascii_name(clean)}"'
    if not clean.isascii():
        value += f"; filename*=UTF-8''{quote(clean, safe=ATTR_CHARS)}"
    return value


def named(response: Response, name: str | None, inline: bool = False) -> Response:
    """Give a response (send_file's, say) the cleaned download name, replacing any name it carried."""
    response.headers["Content-Disposition"] = content_disposition(name, inline)
    return response


def file_response(data: bytes, filename: str, mimetype: str = XLSX) -> Response:
    return named(Response(data, mimetype=mimetype), filename)
