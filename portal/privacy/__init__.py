"""People's rights over their personal data: the register of what the portal holds, and each person's own data."""
