"""The library of training materials: guides to download, videos and e-learning links."""
from flask import Blueprint

# Routes attach to bp in views.py, which create_app imports before registering it.
bp = Blueprint("materials", __name__, url_prefix="/materials")
