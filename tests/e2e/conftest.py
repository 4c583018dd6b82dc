"""A live portal on 127.0.0.1 (own SQLite file, real CSRF) and Debian's Chromium driven by Playwright.

With CI=true a missing Chromium fails the run; elsewhere the browser journeys are skipped with a note.
"""
import os
import shutil
import threading
from pathlib import Path

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from portal import create_app
from portal.demo import load_all
from portal.core.extensions import db
from tests.conftest import config_for_tests

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def live_server(live_portal):
    return live_portal[0]


@pytest.fixture(scope="session")
def live_portal(tmp_path_factory):
    """The portal served by Werkzeug in a thread, on a migrated database with units and demo accounts: its URL,
    and the app, for a journey that needs a person of its own (one it may erase without the others noticing)."""
    config = config_for_tests(f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'e2e.sqlite3'}")
    config.update(WTF_CSRF_ENABLED=True, TESTING=False,
                  ATTACHMENTS_DIR=str(tmp_path_factory.mktemp("attachments")),
                  EXPORTS_DIR=str(tmp_path_factory.mktemp("exports")))
    app = create_app(config)
    with app.app_context():
        upgrade()
        load_all()
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", app
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture
def page(browser, request):
    """A fresh browser page; its screenshot goes to tests/e2e/artifacts/ when the test fails."""
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def pytest_collection_modifyitems(items):
    """A browser that leaves a page while a stylesheet is still downloading drops the connection; Werkzeug's
    development server then leaves the static file to the garbage collector, and the ResourceWarning raised in
    its thread lands on whichever journey runs. It says nothing about the portal, so the journeys ignore it."""
    dropped_download = pytest.mark.filterwarnings(
        r"ignore:Exception ignored in.*_io\.(FileIO|BufferedReader):pytest.PytestUnraisableExceptionWarning")
    for item in items:
        if "tests/e2e/" in item.nodeid:
            item.add_marker(dropped_download)
