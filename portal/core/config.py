"""Configuration: defaults in code, environment variables on top, instance/config.py last."""
import os
import secrets
from datetime import timedelta
from pathlib import Path


def database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs written the usual way (postgres://, postgresql://)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


POSTGRESQL_CONNECT_TIMEOUT = 5  # seconds


def development_secret_key(instance_path: str) -> str:
    """A random key kept in instance/ so that development sessions survive a restart."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def from_environment(instance_path: str) -> dict:
    """Settings for the environment named by PORTAL_ENV (development or production)."""
    env = os.environ.get("PORTAL_ENV", "development")
    production = env == "production"
    sqlite_file = Path(instance_path) / "portal.sqlite3"
    database = os.environ.get("DATABASE_URL") or f"sqlite:///{sqlite_file}"
    secret_key = os.environ.get("SECRET_KEY")
    if not secret_key:
        if production:
            raise RuntimeError("SECRET_KEY must be set when PORTAL_ENV=production")
        if not database.startswith("sqlite"):
            # Every host on a shared database must sign sessions and tokens with one key; a key generated into
            # each host's instance/ would sign people out whenever the proxy sends them to the other host.
            raise RuntimeError("SECRET_KEY must be set when DATABASE_URL is not SQLite, and be the same on every "
                               "host (generate one with: python3 -c 'import secrets; print(secrets.token_hex(32))')")
        secret_key = development_secret_key(instance_path)
    mail_url = os.environ.get("MAIL_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    queue_file = Path(instance_path) / "queue.sqlite3"
    return {
        "PORTAL_ENV": env,
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": database_url(database),
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(database),
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_SECURE": production,
        "SESSION_IDLE_TIMEOUT": minutes_from_env("SESSION_IDLE_MINUTES", DEFAULTS["SESSION_IDLE_TIMEOUT"]),
        "PERMANENT_SESSION_LIFETIME": minutes_from_env("SESSION_LIFETIME_MINUTES", DEFAULTS["PERMANENT_SESSION_LIFETIME"]),
        "MAIL_BACKEND": "smtp" if mail_url else "console",
        **mail_settings(mail_url),
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_FROM", "no-reply@tthc-portal.local"),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", redis_url or "memory://"),
        "REDIS_URL": redis_url,
        "QUEUE_URL": redis_url or os.environ.get("QUEUE_URL", f"sqlite:///{queue_file}"),
        "RATELIMIT_ENABLED": os.environ.get("RATELIMIT_ENABLED", "true").lower() != "false",
        "PUBLIC_URL": os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000"),
        "STORAGE_URL": os.environ.get("STORAGE_URL", ""),
        "STORAGE_SERVE": os.environ.get("STORAGE_SERVE", DEFAULTS["STORAGE_SERVE"]),
        "TRUSTED_PROXIES": trusted_proxies(os.environ.get("TRUSTED_PROXIES", "")),
    }


def engine_options(url: str) -> dict:
    """The pool's options; a PostgreSQL host that does not answer fails a connection in seconds, not minutes (the
    kernel's TCP timeout), so requests answer 503 quickly while it is down."""
    options = dict(DEFAULTS["SQLALCHEMY_ENGINE_OPTIONS"])
    if url.startswith(("postgres://", "postgresql")):
        options["connect_args"] = {"connect_timeout": POSTGRESQL_CONNECT_TIMEOUT}
    return options


def trusted_proxies(value: str) -> int:
    """How many proxies stand in front of the app (TRUSTED_PROXIES), 0 when unset."""
    if not value.strip():
        return 0
    if not value.strip().isascii() or not value.strip().isdigit():
        raise RuntimeError(f"TRUSTED_PROXIES must be the number of proxies in front of the portal (0, 1, 2 ...), "
                           f"not {value!r}")
    return int(value)


def minutes_from_env(name: str, default: timedelta) -> timedelta:
    value = os.environ.get(name)
    return timedelta(minutes=int(value)) if value else default


# MAIL_URL schemes as the ecosystem writes them: (default port, STARTTLS, TLS from the first byte).
MAIL_SCHEMES = {"smtp": (25, False, False), "smtp+tls": (587, True, False), "smtps": (465, False, True)}


def mail_settings(mail_url: str) -> dict:
    """Split MAIL_URL into Flask-Mailman settings: smtp:// plain (a local relay), smtp+tls:// STARTTLS, smtps:// TLS.

    smtp://user:password@host:port; the user and password are percent-decoded.
    """
    if not mail_url:
        return {}
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(mail_url)
    if parts.scheme not in MAIL_SCHEMES:
        raise RuntimeError(f"MAIL_URL must start with {', '.join(s + '://' for s in MAIL_SCHEMES)}")
    port, starttls, tls = MAIL_SCHEMES[parts.scheme]
    return {
        "MAIL_SERVER": parts.hostname,
        "MAIL_PORT": parts.port or port,
        "MAIL_USERNAME": unquote(parts.username or ""),
        "MAIL_PASSWORD": unquote(parts.password or ""),
        "MAIL_USE_SSL": tls,
        "MAIL_USE_TLS": starttls,
    }


DEFAULTS = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session, which has its own limits
    "BABEL_DEFAULT_LOCALE": "vi",
    "BABEL_DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
    "LANGUAGES": {"vi": "Tiếng Việt", "en": "English"},
    "MINISTRY_NAME": "Bộ Văn hóa, Thể thao và Du lịch",
    "MINISTRY_NAME_EN": "Ministry of Culture, Sports and Tourism",
    "INVITATION_LIFETIME": timedelta(hours=72),
    "PASSWORD_RESET_LIFETIME": timedelta(hours=1),
    "PASSWORD_MIN_LENGTH": 10,
    "SESSION_IDLE_TIMEOUT": timedelta(hours=2),
    "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
    "PER_PAGE": 50,
    "PUBLIC_URL": "http://127.0.0.1:5000",
    # Files in folders under instance/ unless STORAGE_URL=s3://bucket/prefix (core/storage.py); downloads streamed
    # through the portal, or answered by a short-lived presigned URL with STORAGE_SERVE=presigned.
    "STORAGE_URL": "",
    "STORAGE_SERVE": "stream",
    # Proxies (nginx, HAProxy) in front of the app whose X-Forwarded-For/-Proto/-Host it believes; 0 believes none,
    # since a client reaching gunicorn directly could otherwise claim any address and dodge the login throttle.
    "TRUSTED_PROXIES": 0,
    "RATELIMIT_STORAGE_URI": "memory://",
    "QUEUE_URL": "memory://",
    "MAIL_DEFAULT_SENDER": "no-reply@tthc-portal.local",
    "MAIL_TIMEOUT": 30,  # seconds a worker waits on the SMTP server before it retries later
    # A row claimed by a worker that died is handed out again after this many seconds.
    "OUTBOX_CLAIM_TIMEOUT": 600,
    "OUTBOX_BATCH_SIZE": 200,
    # After the 1st, 2nd ... failure a message is tried again after these many seconds, then marked failed.
    "OUTBOX_RETRY_DELAYS": [60, 300, 1800, 7200, 43200],
    "CONTACTS_DEADLINE": "2026-01-16T23:59:00+07:00",
    "CONTACTS_NOTICE_VERSION": "2026-01",
    "IMPORT_MAX_BYTES": 5 * 1024 * 1024,
    "ATTACHMENT_MAX_BYTES": 10 * 1024 * 1024,
    # Working hours to the first response and to the resolution, by priority.
    "SUPPORT_SLA_HOURS": {"urgent": (2, 9.5), "high": (4, 19), "normal": (9.5, 47.5), "low": (19, 95)},
    "MATERIAL_MAX_BYTES": 100 * 1024 * 1024,
    "MAX_CONTENT_LENGTH": 101 * 1024 * 1024,  # the largest upload (a material) plus the form around it
    # Days with no training besides weekends: New Year, Tết 2026 (14/02-22/02), Hùng Kings, 30/4-1/5, 2/9.
    # 2027: New Year, Hùng Kings (16/04), 30/4-1/5, 2/9 and the day beside it; Tết 2027 is added once announced.
    "NON_WORKING_DAYS": ["2026-01-01", *[f"2026-02-{day}" for day in range(14, 23)], "2026-04-27",
                         "2026-04-30", "2026-05-01", "2026-09-01", "2026-09-02",
                         "2027-01-01", "2027-04-16", "2027-04-30", "2027-05-01", "2027-09-02", "2027-09-03"],
    "IMPORT_MAX_ROWS": 5000,
    # Personal data (Law 91/2025/QH15): a request is acknowledged within, and completed within, these many working
    # days of its receipt; the public form's one-time link lasts this many hours.
    "PRIVACY_ACK_WORKING_DAYS": 2,
    "PRIVACY_DUE_WORKING_DAYS": 15,
    "PRIVACY_LINK_HOURS": 24,
    # Retention: an account request's CCCD is erased this many days after the decision; focal contacts are
    # anonymised after this date (Vietnam time) unless the ministry moves it; a closed ticket's attachments are
    # removed this many days after it closed.
    "RETENTION_CCCD_DAYS": 30,
    "RETENTION_CONTACTS_UNTIL": "2026-12-31",
    "RETENTION_TICKET_ATTACHMENT_DAYS": 180,
    # Days a backup (`flask backup`) is kept before the ministry's rotation deletes it: an erasure lists the backups
    # of that many days as still holding the erased data.
    "BACKUP_KEPT_DAYS": 30,
    # Failed sign-ins only: a training room of officials shares one office address.
    "LOGIN_LIMIT_PER_ADDRESS": "100 per 10 minutes",
    "LOGIN_LIMIT_PER_ACCOUNT": "5 per 10 minutes",
    "PASSWORD_RESET_LIMIT_PER_ADDRESS": "30 per 10 minutes",
    # Seconds a process trusts its last reading of the data clock (core/page_cache.py): how stale another
    # process's write may look on cached public pages and feeds.
    "DATA_CLOCK_SECONDS": 1.0,
    # Seconds /healthz waits on each dependency (all at once) before calling it down: within the proxy's own timeout.
    "HEALTH_CHECK_TIMEOUT": 1.5,
}
