"""Dossiers received but not taken in for lack of an account on the TTHC system, per province (letter 003)."""
from flask import Blueprint

# Routes attach to bp in views.py, which create_app imports before registering it.
bp = Blueprint("backlog", __name__, url_prefix="/backlog")
