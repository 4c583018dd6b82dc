"""Uploaded sheets waiting between their preview and the user's confirmation (any domain's import)."""
