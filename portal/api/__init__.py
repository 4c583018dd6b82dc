"""The JSON API for the ministry's other systems, under /api/v1/ with an OpenAPI document: read-only, but for the
dossier backlog a permitted token records."""
from flask import Blueprint

# Routes attach to bp in views.py, which create_app imports before registering it.
bp = Blueprint("api", __name__, url_prefix="/api")
