"""iCalendar feeds of the training plan, for Outlook, Google, Apple and Thunderbird subscribers."""
from flask import Blueprint

# Routes attach to bp in views.py, which create_app imports before registering it.
bp = Blueprint("feeds", __name__, url_prefix="/feeds")
