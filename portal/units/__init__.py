"""Official provinces and communes, and the ministry's departments in each province."""
from flask import Blueprint

# Routes attach to bp in views.py, which create_app imports before registering it.
bp = Blueprint("units", __name__, url_prefix="/units")
