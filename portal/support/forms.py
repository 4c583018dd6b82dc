"""Forms of the support desk."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from portal.util.forms import SubmissionTokenField

PRIORITY_LABELS = {"low": _l("Low"), "normal": _l("Normal"), "high": _l("High"), "urgent": _l("Urgent")}
STATUS_LABELS = {"new": _l("New"), "assigned": _l("Assigned"), "in_progress": _l("In progress"),
                 "waiting": _l("Waiting for the locality"), "resolved": _l("Resolved"), "closed": _l("Closed")}

SLA_LABELS = {"ok": _l("On time"), "near": _l("Due soon"), "breached": _l("Overdue")}
VIEW_LABELS = {"mine": _l("Assigned to me"), "unassigned": _l("Unassigned"), "near": _l("Due soon"),
               "breached": _l("Overdue"), "open": _l("All open"), "all": _l("All tickets")}


class TicketForm(FlaskForm):
    category_id = SelectField(_l("Category"), coerce=int)
    title = StringField(_l("Subject"), validators=[InputRequired(_l("Enter the subject of the ticket.")), Length(max=200)])
    description = TextAreaField(_l("What happened?"),
                                validators=[InputRequired(_l("Describe the problem.")), Length(max=10000)])
    procedure_ref = StringField(_l("Procedure code or dossier number (if any)"), validators=[Optional(), Length(max=100)])
    priority = SelectField(_l("Priority"), default="normal",
                           choices=[SelectChoice(k, v) for k, v in PRIORITY_LABELS.items()])
    attachments = MultipleFileField(_l("Attachments (images, PDF, office files)"))
    submission_token = SubmissionTokenField()

    def set_categories(self, categories) -> None:
        self.category_id.choices = [SelectChoice(c.id, c.name) for c in categories]


class ReplyForm(FlaskForm):
    body = TextAreaField(_l("Reply"), validators=[Optional(), Length(max=10000)])
    is_internal = BooleanField(_l("Internal note (not shown to the locality)"))
    status = SelectField(_l("Status"), validators=[Optional()])
    canned_id = SelectField(_l("Ready-made text"), coerce=int, validators=[Optional()])
    # Puts the chosen canned reply after the text typed so far and shows the form again; nothing is sent.
    insert = SubmitField(_l("Insert canned reply"))
    attachments = MultipleFileField(_l("Attachments (images, PDF, office files)"))
    submission_token = SubmissionTokenField()


class CannedReplyForm(FlaskForm):
    title = StringField(_l("Title"), validators=[InputRequired(_l("Give the canned reply a title and a text.")),
                                                 Length(max=200)])
    body = TextAreaField(_l("Text"), validators=[InputRequired(_l("Give the canned reply a title and a text.")),
                                                 Length(max=10000)],
                         description=_l("{nguoi_gui} becomes the reporter's name, {ma_phieu} the ticket's reference, "
                                        "{tieu_de} its subject and {can_bo} your name."))
    is_shared = BooleanField(_l("Shared with every agent"))


class AssignForm(FlaskForm):
    agent_id = SelectField(_l("Agent"), coerce=int)


class InboxFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=100)])
    status = SelectField(_l("Status"), validators=[Optional()],
                         choices=[SelectChoice("", _l("All")), SelectChoice("open", _l("Open"))] +
                         [SelectChoice(k, v) for k, v in STATUS_LABELS.items()])
    province = SelectField(_l("Province"), coerce=int, validators=[Optional()])
    category = SelectField(_l("Category"), coerce=int, validators=[Optional()])
    priority = SelectField(_l("Priority"), validators=[Optional()],
                           choices=[SelectChoice("", _l("All"))] + [SelectChoice(k, v) for k, v in PRIORITY_LABELS.items()])
    overdue = BooleanField(_l("Overdue only"))
    unassigned = BooleanField(_l("Unassigned only"))
