"""Two hosts started from one checkout keep apart what lives in the instance folder (PORTAL_INSTANCE_PATH)."""
from portal import create_app
from tests.conftest import config_for_tests


def test_the_instance_folder_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path / "host-a" / "instance"))
    app = create_app(config_for_tests(f"sqlite:///{tmp_path / 'portal.sqlite3'}"))
    assert app.instance_path == str(tmp_path / "host-a" / "instance")
    assert (tmp_path / "host-a" / "instance").is_dir()
    with app.app_context():
        from portal.core.extensions import db

        db.engine.dispose()


def test_without_it_the_instance_folder_is_the_checkouts(tmp_path, monkeypatch):
    monkeypatch.delenv("PORTAL_INSTANCE_PATH", raising=False)
    app = create_app(config_for_tests(f"sqlite:///{tmp_path / 'portal.sqlite3'}"))
    assert app.instance_path.endswith("/instance")
    with app.app_context():
        from portal.core.extensions import db

        db.engine.dispose()
