"""Home page, language switch and health check."""
from flask import Blueprint

# Routes attach to bp in views.py, which create_app imports before registering it.
bp = Blueprint("main", __name__)
