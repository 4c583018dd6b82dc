"""Where every province stands: the national dashboard, and weekly and monthly reports."""
from flask import Blueprint

# Routes attach to bp in views.py, which create_app imports before registering it.
bp = Blueprint("reports", __name__, url_prefix="/reports")
