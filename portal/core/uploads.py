"""Uploaded files: their type decided by their bytes (not their name), read from a stream, never whole in memory."""
import io
import secrets
import struct
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from portal.util.downloads import own_name

# Office Open XML files are zip archives with a known main part.
OFFICE_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "mp4": "video/mp4",
    "png": "image/png",
    "jpg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
}
EXTENSION_ALIASES = {"jpeg": "jpg"}
IMAGE_TYPES = ("png", "jpg", "gif", "webp")
MAX_IMAGE_SIDE = 65535  # larger than any of these formats' real images; a header saying more is not believed
# JPEG start-of-frame markers (C4, C8 and CC are other segments) carry the height and width.
JPEG_FRAMES = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
# The first bytes read into memory: the type's signature and an image's size (a JPEG's frame follows its EXIF).
HEAD_BYTES = 256 * 1024


@dataclass
class Upload:
    """A file someone uploads: its own name (no folders), a seekable stream of its bytes, its size and its type
    as its bytes say (None when they name none of CONTENT_TYPES)."""

    name: str
    stream: BinaryIO
    size: int
    kind: str | None
    head: bytes


def opened(file_name: str, content: bytes | BinaryIO) -> Upload:
    """An Upload from the bytes or a seekable stream (Werkzeug's spooled temporary file keeps a large upload on
    disk); the stream is left at its start, ready to be stored."""
    stream = io.BytesIO(content) if isinstance(content, (bytes, bytearray)) else content
    size = stream.seek(0, io.SEEK_END)
    stream.seek(0)
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    kind = detect_type(head, stream)
    stream.seek(0)
    return Upload(own_name(file_name), stream, size, kind, head)


def detect_type(data: bytes, whole: BinaryIO | None = None) -> str | None:
    """pdf, docx, xlsx, pptx, mp4, png, jpg, gif or webp from the file's first bytes, or None; an Office file's
    parts are read from `whole`, its seekable stream, when the first bytes are not the whole file."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "webp"
    if data[4:8] == b"ftyp":
        return "mp4"
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(whole if whole is not None else io.BytesIO(data)).namelist())
        except (zipfile.BadZipFile, EOFError, ValueError):
            return None
        return next((kind for kind, part in OFFICE_PARTS.items() if part in names), None)
    return None


def extension_of(file_name: str) -> str:
    extension = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    return EXTENSION_ALIASES.get(extension, extension)


def stored_name(extension: str) -> str:
    """A random file name: what people typed never reaches the file system."""
    return secrets.token_hex(16) + "." + extension


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height in pixels read from a PNG, JPEG, GIF or WebP header, or None when the header says nothing
    believable (no image library needed: the size is only for laying out a thumbnail)."""
    try:
        size = _header_size(data)
    except (struct.error, IndexError):
        return None
    if size and all(0 < side <= MAX_IMAGE_SIDE for side in size):
        return size
    return None


def _header_size(data: bytes) -> tuple[int, int] | None:
    kind = detect_type(data)
    if kind == "png" and data[12:16] == b"IHDR":
        return struct.unpack(">II", data[16:24])
    if kind == "gif":
        return struct.unpack("<HH", data[6:10])
    if kind == "webp":
        chunk = data[12:16]
        if chunk == b"VP8 ":
            width, height = struct.unpack("<HH", data[26:30])
            return width & 0x3FFF, height & 0x3FFF
        if chunk == b"VP8L":
            bits = int.from_bytes(data[21:25], "little")
            return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
        if chunk == b"VP8X":
            return int.from_bytes(data[24:27], "little") + 1, int.from_bytes(data[27:30], "little") + 1
        return None
    if kind == "jpg":
        position = 2
        while position + 9 < len(data):
            if data[position] != 0xFF:
                return None
            marker = data[position + 1]
            length = struct.unpack(">H", data[position + 2:position + 4])[0]
            if marker in JPEG_FRAMES:
                height, width = struct.unpack(">HH", data[position + 5:position + 9])
                return width, height
            position += 2 + length
    return None


def fit_within(width: int | None, height: int | None, box: tuple[int, int] = (240, 180)) -> tuple[int, int]:
    """The size an image of width × height is shown at inside the box, never enlarged; the box when unknown."""
    if not width or not height:
        return box
    scale = min(box[0] / width, box[1] / height, 1)
    return max(1, round(width * scale)), max(1, round(height * scale))
