"""Where the portal keeps its files (ticket attachments, training materials): one interface, two backends.

Without STORAGE_URL the files live in folders under instance/ (one host). With STORAGE_URL=s3://bucket/prefix
they live in S3-compatible object storage through boto3, which reads the endpoint and keys from its own
variables (AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION): every host that shares
STORAGE_URL, DATABASE_URL and SECRET_KEY serves the same files.

A file is named by a key "<area>/<random name>" (the areas are AREAS); what people typed never reaches a key.
Callers write the file before the row that names it commits; the periodic sweep (tasks.py) deletes files that
no row names once they are older than ORPHAN_GRACE, so a request that failed after writing leaves nothing behind
for long.

Downloads are streamed through the portal by default (STORAGE_SERVE=stream): the portal checks access and writes
the audit log, then answers with the bytes under its own headers (no-store, nosniff, CSP), and the store needs to
be reachable from the app hosts only, as it usually is in a data centre. STORAGE_SERVE=presigned answers with a
redirect to a presigned URL valid for PRESIGNED_SECONDS instead, which frees the app worker on large files but
needs the store reachable from every browser.
"""
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import BinaryIO, Iterator
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, redirect, send_file

from portal.util.downloads import content_disposition, named

AREAS = ("attachments", "materials", "exports")
LOCAL_FOLDER_SETTINGS = {"attachments": "ATTACHMENTS_DIR", "materials": "MATERIALS_DIR", "exports": "EXPORTS_DIR"}
CHUNK = 256 * 1024
# An upload to S3 is held in memory at most one part at a time: one request below this size, parts of it above.
PART_BYTES = 8 * 1024 * 1024
ORPHAN_GRACE = timedelta(hours=1)
PRESIGNED_SECONDS = 60


class FileMissing(Exception):
    """The row names a file the store does not have."""


@dataclass(frozen=True)
class StoredObject:
    key: str
    size: int
    modified: datetime


def split_key(key: str) -> tuple[str, str]:
    """("attachments", "ab12....png") from a key; anything else is a programming error."""
    area, _, name = key.partition("/")
    if area not in AREAS or not name or "/" in name or name.startswith("."):
        raise ValueError(f"not a storage key: {key!r}")
    return area, name


class LocalStorage:
    """Files in folders under instance/ (or the folder an area's setting names)."""

    name = "local"

    def __init__(self, app: Flask):
        self.app = app

    def folder(self, area: str) -> Path:
        setting = LOCAL_FOLDER_SETTINGS[area]
        path = Path(self.app.config.get(setting) or Path(self.app.instance_path) / area)
        path.mkdir(parents=True, exist_ok=True)
        return path

    def path(self, key: str) -> Path:
        area, name = split_key(key)
        return self.folder(area) / name

    def save(self, key: str, stream: BinaryIO, content_type: str = "application/octet-stream") -> int:
        """Copy the stream into place in chunks; the file appears whole or not at all."""
        target = self.path(key)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as out:
                shutil.copyfileobj(stream, out, CHUNK)
                written = out.tell()
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return written

    def open(self, key: str) -> BinaryIO:
        try:
            return self.path(key).open("rb")
        except FileNotFoundError as error:
            raise FileMissing(key) from error

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def size(self, key: str) -> int:
        try:
            return self.path(key).stat().st_size
        except FileNotFoundError as error:
            raise FileMissing(key) from error

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def objects(self, area: str) -> Iterator[StoredObject]:
        for entry in os.scandir(self.folder(area)):
            if entry.is_file() and not entry.name.startswith("."):
                stat = entry.stat()
                yield StoredObject(f"{area}/{entry.name}", stat.st_size,
                                   datetime.fromtimestamp(stat.st_mtime, timezone.utc))

    def download(self, key: str, content_type: str, download_name: str, inline: bool = False,
                 max_age: int | None = None) -> Response:
        if not self.exists(key):
            raise FileMissing(key)
        return named(send_file(self.path(key), mimetype=content_type, max_age=max_age, conditional=True),
                     download_name, inline)

    def check(self) -> None:
        """Raise unless a file can be written and read back (for /healthz)."""
        folder = self.folder(AREAS[0])
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".health-") as probe:
            probe.write(b"ok")
            probe.flush()
            Path(probe.name).read_bytes()


class S3Storage:
    """Objects in one bucket under a prefix, through boto3 (multipart uploads read the stream in parts)."""

    name = "s3"

    def __init__(self, url: str, serve: str = "stream"):
        import boto3
        from botocore.config import Config

        parts = urlsplit(url)
        if parts.scheme != "s3" or not parts.netloc:
            raise RuntimeError("STORAGE_URL must look like s3://bucket/prefix")
        self.bucket = parts.netloc
        self.prefix = parts.path.strip("/") + "/" if parts.path.strip("/") else ""
        self.serve = serve
        # A session of its own: boto3's default session keeps the first credentials it read for the process.
        self.client = boto3.session.Session().client("s3", config=Config(signature_version="s3v4", connect_timeout=5, read_timeout=60,
                                                       retries={"max_attempts": 3, "mode": "standard"}))

    def object_name(self, key: str) -> str:
        split_key(key)
        return self.prefix + key

    def save(self, key: str, stream: BinaryIO, content_type: str = "application/octet-stream") -> int:
        from boto3.s3.transfer import TransferConfig

        counted = CountingReader(stream)
        self.client.upload_fileobj(counted, self.bucket, self.object_name(key), ExtraArgs={"ContentType": content_type},
                                   Config=TransferConfig(multipart_threshold=PART_BYTES, multipart_chunksize=PART_BYTES))
        return counted.count

    def get(self, key: str) -> dict:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self.object_name(key))
        except self.client.exceptions.NoSuchKey as error:
            raise FileMissing(key) from error

    def open(self, key: str) -> BinaryIO:
        return self.get(key)["Body"]

    def head(self, key: str) -> dict | None:
        from botocore.exceptions import ClientError

        try:
            return self.client.head_object(Bucket=self.bucket, Key=self.object_name(key))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise

    def exists(self, key: str) -> bool:
        return self.head(key) is not None

    def size(self, key: str) -> int:
        found = self.head(key)
        if found is None:
            raise FileMissing(key)
        return found["ContentLength"]

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.object_name(key))

    def objects(self, area: str) -> Iterator[StoredObject]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=f"{self.prefix}{area}/")
        for page in pages:
            for item in page.get("Contents", []):
                key = item["Key"][len(self.prefix):]
                yield StoredObject(key, item["Size"], item["LastModified"])

    def download(self, key: str, content_type: str, download_name: str, inline: bool = False,
                 max_age: int | None = None) -> Response:
        if self.serve == "presigned":
            if not self.exists(key):
                raise FileMissing(key)
            url = self.client.generate_presigned_url("get_object", ExpiresIn=PRESIGNED_SECONDS, Params={
                "Bucket": self.bucket, "Key": self.object_name(key), "ResponseContentType": content_type,
                "ResponseContentDisposition": content_disposition(download_name, inline)})
            return redirect(url, 303)
        found = self.get(key)
        body = found["Body"]
        response = Response(body.iter_chunks(CHUNK), mimetype=content_type, direct_passthrough=True)
        response.headers["Content-Length"] = str(found["ContentLength"])
        named(response, download_name, inline)
        if max_age is not None:
            response.cache_control.max_age = max_age
        response.call_on_close(body.close)
        return response

    def check(self) -> None:
        self.client.head_bucket(Bucket=self.bucket)


class CountingReader:
    """A read-only stream that counts the bytes read through it."""

    def __init__(self, stream: BinaryIO):
        self.stream, self.count = stream, 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.count += len(data)
        return data


def build(app: Flask):
    url = app.config.get("STORAGE_URL") or ""
    if not url:
        return LocalStorage(app)
    serve = app.config.get("STORAGE_SERVE", "stream")
    if serve not in ("stream", "presigned"):
        raise RuntimeError("STORAGE_SERVE must be stream or presigned")
    return S3Storage(url, serve)


def storage():
    """The current app's store, built once per app."""
    found = current_app.extensions.get("storage")
    if found is None:
        found = current_app.extensions["storage"] = build(current_app)
    return found


def key_for(area: str, stored_name: str) -> str:
    return f"{area}/{stored_name}"
