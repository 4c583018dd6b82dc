"""Scheduled jobs: what runs by itself, when it last ran, how it went and when it runs next."""
from flask import Blueprint

# Routes attach to bp in views.py, which create_app imports before registering it.
bp = Blueprint("jobs", __name__, url_prefix="/jobs")
