"""The audit log of changes and of every access to personal data."""
from flask import Blueprint

# Routes attach to bp in views.py, which create_app imports before registering it.
bp = Blueprint("audit", __name__, url_prefix="/audit")
