"""The January 2026 training plan: sessions, trainers, conflicts, enrolment and attendance."""
from flask import Blueprint

# Routes attach to bp in views.py, which create_app imports before registering it.
bp = Blueprint("training", __name__, url_prefix="/training")
