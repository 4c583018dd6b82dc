"""Small helpers shared by the domains: text, validators, pagination, spreadsheets, links and forms."""
