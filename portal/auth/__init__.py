"""Sign-in, passwords, and the management of accounts and roles."""
from flask import Blueprint

# Routes attach to bp in views.py, which create_app imports before registering it.
bp = Blueprint("auth", __name__, url_prefix="/auth")
