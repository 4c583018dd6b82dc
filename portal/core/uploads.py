"""Uploaded files: their type decided by their bytes (not their name), and where they are kept."""
import io
import secrets
import zipfile
from pathlib import Path

from flask import current_app

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


def detect_type(data: bytes) -> str | None:
    """pdf, docx, xlsx, pptx, mp4, png, jpg, gif or webp from the file's own bytes, or None."""
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
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            return None
        return next((kind for kind, part in OFFICE_PARTS.items() if part in names), None)
    return None


def extension_of(file_name: str) -> str:
    extension = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    return EXTENSION_ALIASES.get(extension, extension)


def storage_dir(setting: str, default_folder: str) -> Path:
    """A folder under instance/ (or the configured one), never under static/."""
    path = Path(current_app.config.get(setting) or Path(current_app.instance_path) / default_folder)
    path.mkdir(parents=True, exist_ok=True)
    return path


def stored_name(extension: str) -> str:
    """A random file name: what people typed never reaches the file system."""
    return secrets.token_hex(16) + "." + extension
