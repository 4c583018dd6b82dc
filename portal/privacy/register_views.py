"""The register of personal data for admins, and the public privacy notice written from the same register."""
from collections import Counter

from flask import Blueprint, render_template

from portal.access import roles_required
from portal.core.page_cache import cached_page
from portal.privacy import register

# Two blueprints of their own: "Dữ liệu của tôi" (views.py) keeps the `privacy` name and its own routes.
bp = Blueprint("privacy_register", __name__, url_prefix="/privacy/register")
notice_bp = Blueprint("privacy_notice", __name__, url_prefix="/privacy/notice")


@bp.get("/")
@roles_required("admin")
def index():
    """Every table and column with personal data: class, purpose, legal basis and retention."""
    return render_template("privacy/register.html", tables=register.by_table(), classes=register.CLASSES,
                           bases=register.BASES, basis_names=register.BASIS_NAMES,
                           counts=Counter(entry.kind for entry in register.REGISTER))


@notice_bp.get("/")
@cached_page(())  # the same for every visitor and built from code alone: no data clock, only language and minute
def notice():
    """What the portal holds, why, on what basis and for how long, and the person's rights under Law 91/2025/QH15."""
    return render_template("privacy/notice.html", uses=register.uses(), bases=register.BASES,
                           classes=register.CLASSES)
