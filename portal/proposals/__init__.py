"""Proposals (kiến nghị) to the system's makers: what to change, why, the tickets it answers, and its status."""
from flask import Blueprint

# Routes attach to bp in views.py, which create_app imports before registering it.
bp = Blueprint("proposals", __name__, url_prefix="/proposals")
