"""Account-access requests for the TTHC system, from provinces to the ministry."""
from flask import Blueprint

# Routes attach to bp in views.py, which create_app imports before registering it.
bp = Blueprint("accounts", __name__, url_prefix="/accounts")
