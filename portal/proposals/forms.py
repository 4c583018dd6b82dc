"""Forms of the proposal pages: its wording and tickets, and a dated step of its status."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from portal.proposals.services import AREA_LABELS, today


class ProposalForm(FlaskForm):
    title = StringField(_l("Title"), validators=[InputRequired(_l("Give the proposal a title.")), Length(max=200)])
    area = SelectField(_l("Concerns"), choices=[SelectChoice(key, label) for key, label in AREA_LABELS.items()])
    change = TextAreaField(_l("What should change"),
                           validators=[InputRequired(_l("Say what should change.")), Length(max=10000)])
    reason = TextAreaField(_l("Why"), validators=[InputRequired(_l("Say why it should change.")), Length(max=10000)])
    ticket_numbers = TextAreaField(_l("Other tickets it answers"), validators=[Optional(), Length(max=5000)],
                                   description=_l("Ticket numbers such as HT-2026-000123 or 123, separated by "
                                                  "commas or spaces."))


class StatusForm(FlaskForm):
    status = SelectField(_l("New status"))
    happened_on = DateField(_l("On"), default=today, validators=[InputRequired(_l("Enter the date."))])
    note = StringField(_l("Note (letter number, version released…)"), validators=[Optional(), Length(max=500)])
