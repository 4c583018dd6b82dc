"""Every domain's models, imported in one place for Alembic and the tests."""
from portal.audit.models import AuditEvent
from portal.auth.models import PasswordToken, User
from portal.mail.models import OutboxMessage
from portal.units.models import Commune, Department, Province

__all__ = ["AuditEvent", "Commune", "Department", "OutboxMessage", "PasswordToken", "Province", "User"]
