"""People's rights over their personal data: the register of what the portal holds, the privacy notice built from
it, and each person's own data."""
