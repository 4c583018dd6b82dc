"""Outgoing e-mail and the outbox that keeps a copy of each message."""
from flask import Blueprint

# Routes attach to bp in views.py, which create_app imports before registering it.
bp = Blueprint("mail", __name__, url_prefix="/mail")
