"""The training and support portal for the TTHC system rollout: the application factory."""
import os
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from portal.core.config import DEFAULTS, from_environment
from portal.util.query import register_url_integers
from portal.util.urls import public_url


def create_app(config: dict | None = None) -> Flask:
    """Build the app: defaults, then the environment, then instance/config.py, then `config` (tests).

    The instance folder is instance/ beside the package, or PORTAL_INSTANCE_PATH: two hosts started from one
    checkout (the two-host test) each keep their own, as two installs would.
    """
    instance_path = os.environ.get("PORTAL_INSTANCE_PATH")
    app = Flask(__name__, instance_path=os.path.abspath(instance_path) if instance_path else None,
                instance_relative_config=True)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(DEFAULTS)
    if config is None:
        app.config.from_mapping(from_environment(app.instance_path))
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(config)
    trust_proxies(app)
    register_extensions(app)
    register_tasks()
    register_url_integers(app)
    app.add_template_global(public_url)  # absolute links in pages come from PUBLIC_URL too, never the Host header
    register_blueprints(app)
    register_cli(app)
    from portal.core.errors import register_error_handlers
    from portal.core.i18n import register_i18n
    from portal.core.request_log import register_request_logging
    from portal.core.security import register_security

    register_i18n(app)
    register_request_logging(app)
    register_security(app)
    register_error_handlers(app)
    if app.config.get("REDIS_URL"):
        from portal.core import page_cache

        page_cache.use_redis(app, app.config["REDIS_URL"])
    return app


def trust_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES proxies, take the client's address, scheme and host from their X-Forwarded-* headers.

    Then request.is_secure (HSTS), request.remote_addr (the login throttle, the audit log) and request.host
    (the language switch's same-origin check) describe the browser, not nginx.
    """
    hops = app.config["TRUSTED_PROXIES"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def register_extensions(app: Flask) -> None:
    from portal.core.database import configure_sqlite
    from portal.core.extensions import babel, csrf, db, limiter, login_manager, mail, migrate
    from portal.core.i18n import select_locale, select_timezone
    from portal.core.queue import init_queue

    db.init_app(app)
    with app.app_context():
        configure_sqlite(db.engine)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    limiter.init_app(app)
    mail.init_app(app)
    login_manager.init_app(app)
    init_queue(app)


def register_tasks() -> None:
    """Import each domain's queued and periodic jobs, so the worker and the jobs page know them all."""
    import portal.contacts.tasks  # noqa: F401
    import portal.files.tasks  # noqa: F401
    import portal.mail.tasks  # noqa: F401
    import portal.privacy.tasks  # noqa: F401
    import portal.reports.tasks  # noqa: F401
    import portal.support.tasks  # noqa: F401
    import portal.training.tasks  # noqa: F401


def register_blueprints(app: Flask) -> None:
    from portal.accounts import views as accounts
    from portal.api import views as api
    from portal.audit import views as audit
    from portal.auth import views as auth
    from portal.backlog import views as backlog
    from portal.contacts import views as contacts
    from portal.feeds import views as feeds
    from portal.integrations import views as integrations
    from portal.jobs import views as jobs
    from portal.mail import views as mail
    from portal.privacy import register_views as privacy_register
    from portal.privacy import retention_views as privacy_retention
    from portal.proposals import views as proposals
    from portal.reports import views as reports
    from portal.support import views as support
    from portal.materials import views as materials
    from portal.milestones import views as milestones
    from portal.training import views as training
    from portal.main import views as main
    from portal.units import views as units
    from portal.privacy import mydata_views as mydata
    from portal.privacy import request_views as privacy_requests

    for domain in (main, auth, units, contacts, training, materials, milestones, feeds, support, accounts,
                   backlog, integrations, reports, proposals, api, mail, jobs, audit, privacy_register,
                   privacy_retention, mydata, privacy_requests):
        app.register_blueprint(domain.bp)
    app.register_blueprint(integrations.old_links)
    app.register_blueprint(privacy_register.notice_bp)


def register_cli(app: Flask) -> None:
    from portal.auth.cli import users_cli
    from portal.contacts.cli import contacts_cli
    from portal.demo.cli import demo_cli
    from portal.files.cli import backup_command, restore_command, storage_cli
    from portal.jobs.cli import jobs_cli
    from portal.privacy.cli import privacy_cli
    from portal.reports.cli import reports_cli
    from portal.training.cli import training_cli
    from portal.units.cli import units_cli

    from portal.core.queue import worker_command

    for group in (units_cli, users_cli, contacts_cli, training_cli, reports_cli, demo_cli, jobs_cli, worker_command,
                  backup_command, restore_command, storage_cli, privacy_cli):
        app.cli.add_command(group)
