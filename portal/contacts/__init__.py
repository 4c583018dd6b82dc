"""Focal contacts: 2 cadres per department and 1 system administrator per commune, with the deadline."""
from flask import Blueprint

# Routes attach to bp in views.py, which create_app imports before registering it.
bp = Blueprint("contacts", __name__, url_prefix="/contacts")
