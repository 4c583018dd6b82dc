"""The support desk: tickets from provinces and communes, answered by agents assigned by province."""
from flask import Blueprint

# Routes attach to bp in views.py, which create_app imports before registering it.
bp = Blueprint("support", __name__, url_prefix="/support")
