"""Demo data for development and training: `flask demo load`."""


def load_all() -> tuple[list, dict]:
    """Every kind of demo data, each loaded once; returns the demo accounts and what was added now."""
    from portal.demo.backlog import load_demo_backlog
    from portal.demo.integrations import load_demo_integrations
    from portal.demo.plan import load_demo_plan
    from portal.demo.privacy import load_demo_privacy
    from portal.demo.services import load_demo_accounts, load_demo_contacts
    from portal.demo.support import load_demo_support
    from portal.units.services import load_official_units

    load_official_units()
    accounts = load_demo_accounts()
    added = {"contacts": load_demo_contacts(),
             "sessions": load_demo_plan([user for user in accounts if user.role == "trainer"]),
             "tickets": load_demo_support(accounts),
             "integrations": load_demo_integrations(),
             "backlog": load_demo_backlog(accounts),
             "privacy_requests": load_demo_privacy(accounts)}
    return accounts, added
