"""Every domain's models, imported in one place for Alembic and the tests."""
from portal.api.models import ApiToken
from portal.accounts.models import AccountRequest
from portal.audit.models import AuditEvent
from portal.auth.models import PasswordToken, User
from portal.backlog.models import BacklogReport
from portal.contacts.models import Contact, ContactChange, DutyText
from portal.feeds.models import FeedClock, FeedToken
from portal.imports.models import PendingImport
from portal.integrations.models import Integration, IntegrationChange, IntegrationKind
from portal.jobs.models import JobState
from portal.mail.models import OutboxMessage
from portal.materials.models import Material, MaterialPublication
from portal.milestones.models import Milestone
from portal.privacy.export import DataExport
from portal.privacy.models import ErasedIdentity, PrivacyRequest, RetentionRun
from portal.proposals.models import Proposal, ProposalChange, ProposalTicket
from portal.reports.models import PeriodNote
from portal.support.models import (
    CannedReply,
    ProvinceAgent,
    SupportAgent,
    Ticket,
    TicketAttachment,
    TicketCategory,
    TicketMessage,
)
from portal.training.models import Enrolment, PlanChange, TrainingSession
from portal.units.models import Commune, Department, Province

__all__ = [
    "AccountRequest",
    "DataExport",
    "ErasedIdentity",
    "PrivacyRequest",
    "RetentionRun",
    "ApiToken",
    "AuditEvent",
    "BacklogReport",
    "CannedReply",
    "Commune",
    "Contact",
    "ContactChange",
    "Department",
    "DutyText",
    "Enrolment",
    "FeedClock",
    "FeedToken",
    "Integration",
    "IntegrationChange",
    "IntegrationKind",
    "JobState",
    "Material",
    "MaterialPublication",
    "Milestone",
    "OutboxMessage",
    "PasswordToken",
    "PendingImport",
    "PeriodNote",
    "PlanChange",
    "Proposal",
    "ProposalChange",
    "ProposalTicket",
    "Province",
    "ProvinceAgent",
    "SupportAgent",
    "Ticket",
    "TicketAttachment",
    "TicketCategory",
    "TicketMessage",
    "TrainingSession",
    "User",
]
