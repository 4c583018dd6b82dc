"""Each province's integrations with the centralized system: the QLVB connection and the utilities of letter 003."""
from flask import Blueprint

# Routes attach to bp in views.py, which create_app imports before registering it.
bp = Blueprint("integrations", __name__, url_prefix="/integrations")
