"""Demo data for development and training: `flask demo load`."""
