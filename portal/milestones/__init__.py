"""The transition calendar: the rollout's key dates, kept by admins, shown to everyone and published as a feed."""
from flask import Blueprint

# Routes attach to bp in views.py, which create_app imports before registering it.
bp = Blueprint("milestones", __name__, url_prefix="/milestones")
