"""A real SMTP server (aiosmtpd) on 127.0.0.1, and the app's mail settings pointed at it."""
import asyncio
import email
import socket
import threading

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Recorder:
    """Keeps every accepted message; can answer slowly, or go down in the middle of a batch."""

    def __init__(self):
        self.messages: list[email.message.Message] = []
        self.delay = 0.0
        self.go_down_after: int | None = None
        self.server: "SmtpServer | None" = None

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.go_down_after is not None and len(self.messages) >= self.go_down_after:
            self.go_down_after = None
            threading.Thread(target=self.server.stop).start()  # the connection drops; the port refuses
            await asyncio.sleep(1)
            return "421 4.3.0 Service not available"
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"

    def message_ids(self) -> list[str]:
        return [m["Message-ID"] for m in self.messages]


class SmtpServer:
    def __init__(self):
        self.port = free_port()
        self.recorder = Recorder()
        self.recorder.server = self
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            controller, self.controller = self.controller, None
            controller.stop()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"


@pytest.fixture
def smtp_server():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp(app, smtp_server, monkeypatch):
    """The app sends over plain SMTP to the test server (as MAIL_URL=smtp://127.0.0.1:port would say)."""
    state = app.extensions["mailman"]
    for name, value in (("backend", "smtp"), ("server", "127.0.0.1"), ("port", smtp_server.port),
                        ("use_tls", False), ("use_ssl", False), ("timeout", 5)):
        monkeypatch.setattr(state, name, value)
    return smtp_server
