"""Forms of the training pages."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from portal.util.forms import ConfirmForm, IntegerField

AUDIENCE_LABELS = {"department": _l("Department cadres"), "commune": _l("Commune system administrators"),
                   "both": _l("Department cadres and commune administrators")}
MODE_LABELS = {"in_person": _l("In person"), "online": _l("Online"), "both": _l("In person and online")}
STATUS_LABELS = {"scheduled": _l("Scheduled"), "changed": _l("Changed"), "cancelled": _l("Cancelled")}
HELD_LABEL = _l("Took place")
ATTENDANCE_LABELS = {"present": _l("Present"), "absent": _l("Absent"), "excused": _l("Excused")}


class CheckboxListField(SelectMultipleField):
    """Several choices as a list of checkboxes: easier on a phone than a multiple select."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class SessionForm(FlaskForm):
    title = StringField(_l("Title"), validators=[InputRequired(_l("Enter the title of the session.")), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=4000)])
    audience = SelectField(_l("Audience"), choices=[SelectChoice(k, v) for k, v in AUDIENCE_LABELS.items()])
    mode = SelectField(_l("How it is held"), choices=[SelectChoice(k, v) for k, v in MODE_LABELS.items()])
    venue = StringField(_l("Venue address"), validators=[Optional(), Length(max=300)])
    meeting_url = StringField(_l("Meeting link"), validators=[Optional(), Length(max=500)])
    day = DateField(_l("Date"), validators=[InputRequired(_l("Enter the date."))])
    starts = TimeField(_l("Starts at"), validators=[InputRequired(_l("Enter the start time."))])
    ends = TimeField(_l("Ends at"), validators=[InputRequired(_l("Enter the end time."))])
    capacity = IntegerField(_l("Capacity (seats)"), validators=[
        InputRequired(_l("Enter the number of seats.")), NumberRange(min=1, max=100000, message=_l("At least 1 seat."))])
    province_codes = CheckboxListField(_l("Provinces served"), coerce=int)
    trainer_ids = CheckboxListField(_l("Trainers"), coerce=int)
    override_reason = StringField(_l("Reason to save it anyway (administrators)"),
                                  validators=[Optional(), Length(max=300)])
    past_confirmed = BooleanField(_l("I confirm scheduling a session that is already past"))

    def set_choices(self, provinces, trainers) -> None:
        self.province_codes.choices = [SelectChoice(p.code, p.name) for p in provinces]
        self.trainer_ids.choices = [SelectChoice(t.id, t.full_name or t.email) for t in trainers]


class CancelForm(ConfirmForm):
    reason = StringField(_l("Reason for the cancellation"),
                         validators=[InputRequired(_l("Give the reason for the cancellation.")), Length(max=300)])


class EnrolForm(FlaskForm):
    contact_ids = CheckboxListField(_l("Registered contacts"), coerce=int)


class PlanFilterForm(FlaskForm):
    class Meta:
        csrf = False

    week = DateField(_l("Week of"), validators=[Optional()])
    province = SelectField(_l("Province"), coerce=int, validators=[Optional()])
    audience = SelectField(_l("Audience"), validators=[Optional()],
                           choices=[SelectChoice("", _l("All audiences"))] +
                           [SelectChoice(k, AUDIENCE_LABELS[k]) for k in ("department", "commune")])
    mode = SelectField(_l("How it is held"), validators=[Optional()],
                       choices=[SelectChoice("", _l("All"))] + [SelectChoice(k, v) for k, v in MODE_LABELS.items()])
    trainer = SelectField(_l("Trainer"), coerce=int, validators=[Optional()])

    def set_choices(self, provinces, trainers) -> None:
        self.province.choices = [SelectChoice(0, _l("All provinces"))] + [SelectChoice(p.code, p.name) for p in provinces]
        self.trainer.choices = [SelectChoice(0, _l("All trainers"))] + [SelectChoice(t.id, t.full_name or t.email) for t in trainers]


class PlanImportForm(FlaskForm):
    file = FileField(
        _l("Plan (.xlsx or .csv)"),
        validators=[FileRequired(_l("Choose a file.")), FileAllowed(["xlsx", "csv"], _l("Upload an .xlsx or .csv file."))],
    )

