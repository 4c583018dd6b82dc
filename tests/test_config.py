"""Settings from the environment: a shared database needs a shared SECRET_KEY, said in one sentence at start-up."""
import pytest

from portal.core.config import from_environment


@pytest.fixture
def environment(monkeypatch, tmp_path):
    """from_environment on an environment that names only what the test sets."""
    for name in ("SECRET_KEY", "DATABASE_URL", "PORTAL_ENV"):
        monkeypatch.delenv(name, raising=False)

    def settings(**values) -> dict:
        for name, value in values.items():
            monkeypatch.setenv(name, value)
        return from_environment(str(tmp_path))

    return settings


def test_postgresql_without_a_secret_key_refuses_to_start(environment):
    with pytest.raises(RuntimeError, match="SECRET_KEY must be set when DATABASE_URL is not SQLite") as refused:
        environment(DATABASE_URL="postgresql://portal@db.internal/portal")
    assert "same on every host" in str(refused.value) and "\n" not in str(refused.value)


def test_postgresql_with_a_secret_key_starts_with_it(environment, tmp_path):
    config = environment(DATABASE_URL="postgresql://portal@db.internal/portal", SECRET_KEY="shared-by-both-hosts")
    assert config["SECRET_KEY"] == "shared-by-both-hosts"
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://portal@db.internal/portal"
    assert not (tmp_path / "secret_key").exists()
    assert config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"] == {"connect_timeout": 5}  # a dead host fails fast


def test_sqlite_keeps_the_development_key_in_the_instance_folder(environment, tmp_path):
    first = environment(DATABASE_URL=f"sqlite:///{tmp_path / 'portal.sqlite3'}")["SECRET_KEY"]
    assert (tmp_path / "secret_key").read_text() == first and len(first) == 64
    assert environment()["SECRET_KEY"] == first  # the default SQLite file too, and the key survives a restart
    assert environment()["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'portal.sqlite3'}"


def test_production_still_needs_a_secret_key_on_sqlite(environment):
    with pytest.raises(RuntimeError, match="PORTAL_ENV=production"):
        environment(PORTAL_ENV="production")
