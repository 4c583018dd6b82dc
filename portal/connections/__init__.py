"""Tracking each province's connection of its document-management software (QLVB) to the ministry's system."""
from flask import Blueprint

# Routes attach to bp in views.py, which create_app imports before registering it.
bp = Blueprint("connections", __name__, url_prefix="/connections")
