"""/api/v1/: JSON for token holders (read, and record the dossier backlog), the OpenAPI document, the tokens page."""
from functools import wraps

from flask import flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import roles_required
from portal.api import bp, openapi, services
from portal.api.models import ApiToken
from portal.api.parameters import PAGE, PER_PAGE, PROVINCE
from portal.core.errors import DomainError
from portal.core.extensions import csrf, db
from portal.units.models import Province
from portal.util.query import OutOfBounds
from portal.util.urls import public_url


def token_required(view):
    """Bearer token in the Authorization header, kept in g.api_token; anything else is a 401 in JSON."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        header = request.headers.get("Authorization", "")
        scheme, _, raw = header.partition(" ")
        g.api_token = services.active_token(raw.strip()) if scheme.lower() == "bearer" and raw.strip() else None
        if g.api_token is None:
            response = jsonify(error="unauthorized", message="A valid bearer token is required.")
            response.status_code = 401
            response.headers["WWW-Authenticate"] = "Bearer"
            return response
        return view(*args, **kwargs)

    return wrapped


def refused(error: DomainError):
    """A body the API cannot record, as a 400 naming the field; in English, like the API's other messages."""
    with force_locale("en"):
        message = str(error.message)
    return jsonify(error="bad_request", message=message, parameter=error.field), 400


def paging() -> tuple[int, int]:
    """Page and page size, each within the bounds the OpenAPI document states (else a 400)."""
    return PAGE.read(strict=True), PER_PAGE.read(strict=True)


@bp.errorhandler(OutOfBounds)
def out_of_bounds(error: OutOfBounds):
    return jsonify(error="bad_request", message=error.description, parameter=error.parameter), 400


@bp.get("/v1/openapi.json")
def openapi_document():
    return jsonify(openapi.document(public_url("api.openapi_document").rsplit("/", 1)[0]))


@bp.get("/v1/provinces")
@token_required
def provinces():
    return jsonify(services.provinces(*paging()))


@bp.get("/v1/provinces/<int:code>/communes")
@token_required
def communes(code: int):
    db.get_or_404(Province, code)
    return jsonify(services.communes(code, *paging()))


@bp.get("/v1/readiness")
@token_required
def readiness():
    return jsonify(services.readiness(*paging()))


@bp.get("/v1/sessions")
@token_required
def sessions():
    return jsonify(services.sessions(*paging(), PROVINCE.read(strict=True)))


@bp.post("/v1/provinces/<int:code>/backlog")
@csrf.exempt  # the bearer token authenticates it, never the session cookie, so a forged cross-site post has no token
@token_required
def record_backlog(code: int):
    """The ministry's system records a province's (or a commune's) dossiers waiting for an account."""
    if not g.api_token.may_record_backlog:
        return jsonify(error="forbidden", message="This token may not record dossiers waiting for an account."), 403
    db.get_or_404(Province, code)
    try:
        report = services.record_backlog(g.api_token, code, request.get_data() if request.is_json else None)
    except DomainError as error:
        return refused(error)
    return jsonify(services.backlog_item(report)), 201


@bp.get("/v1/tickets/counts")
@token_required
def ticket_counts():
    return jsonify(services.ticket_counts())


@bp.route("/tokens", methods=["GET", "POST"])
@roles_required("admin")
def tokens():
    """Create (shown once) and revoke the tokens of the systems that read the API, or also record the backlog."""
    raw = None
    if request.method == "POST":
        try:
            raw = services.create_token(current_user, request.form.get("name", ""),
                                        may_record_backlog=request.form.get("may_record_backlog") == "y")
        except DomainError as error:
            flash(str(error.message), "error")
    listed = db.session.execute(db.select(ApiToken).order_by(ApiToken.id.desc())).scalars().all()
    return render_template("api/tokens.html", tokens=listed, new_token=raw)


@bp.post("/tokens/<int:token_id>/revoke")
@roles_required("admin")
def revoke(token_id: int):
    services.revoke_token(current_user, db.get_or_404(ApiToken, token_id))
    flash(_("The token no longer works."), "success")
    return redirect(url_for("api.tokens"))

