"""File downloads: an attachment with a safe file name."""
import re
import unicodedata
from urllib.parse import quote

from flask import Response

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UNSAFE_IN_NAME = re.compile(r'[\x00-\x1f\x7f"\\;]')


def own_name(file_name: str) -> str:
    """The file's own name: no folders (of any system), no control characters or quotes."""
    name = re.split(r"[/\\]", file_name or "")[-1]
    name = UNSAFE_IN_NAME.sub("", name).strip(" .")
    return name or "tep"


def content_disposition(file_name: str, inline: bool = False) -> str:
    """attachment (or inline) with an ASCII name for old clients and the exact name in UTF-8 (RFC 6266)."""
    name = own_name(file_name)
    ascii_name = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    ascii_name = "".join(c for c in ascii_name if c.isascii() and not unicodedata.combining(c)) or "tep"
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def file_response(data: bytes, filename: str, mimetype: str = XLSX) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = content_disposition(filename)
    return response
