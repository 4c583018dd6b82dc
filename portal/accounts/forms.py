"""Forms of the account-access requests."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, EmailField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import Email, InputRequired, Length, Optional

from portal.util.forms import SubmissionTokenField
from portal.util.validators import CitizenId, VietnamesePhone

STATUS_LABELS = {"requested": _l("Requested"), "granted": _l("Granted"), "refused": _l("Refused")}


class RequestForm(FlaskForm):
    full_name = StringField(_l("Full name"), validators=[InputRequired(_l("Enter the full name.")), Length(max=200)])
    unit = StringField(_l("Unit"), validators=[InputRequired(_l("Enter the unit.")), Length(max=200)])
    phone = StringField(_l("Mobile phone"), validators=[InputRequired(_l("Enter a phone number.")), Length(max=30),
                                                        VietnamesePhone()])
    email = EmailField(_l("E-mail"), validators=[InputRequired(_l("Enter an e-mail address.")),
                                                 Email(_l("Enter a valid e-mail address.")), Length(max=254)])
    cccd = StringField(_l("CCCD number"), validators=[InputRequired(_l("The CCCD number has exactly 12 digits (0–9).")),
                                                      Length(max=20), CitizenId()])
    procedures = TextAreaField(_l("Procedures they handle"), validators=[Optional(), Length(max=2000)])
    accept_notice = BooleanField(_l("The person has been told about this notice and agrees"),
                                 validators=[InputRequired(_l("The person's agreement to the notice is needed."))])
    submission_token = SubmissionTokenField()


class UploadForm(FlaskForm):
    file = FileField(_l("List (.xlsx or .csv)"), validators=[
        FileRequired(_l("Choose a file.")), FileAllowed(["xlsx", "csv"], _l("Upload an .xlsx or .csv file."))])
    accept_notice = BooleanField(_l("Everyone on the list has been told about this notice and agrees"),
                                 validators=[InputRequired(_l("The person's agreement to the notice is needed."))])


class DecisionForm(FlaskForm):
    status = SelectField(_l("Decision"), choices=[SelectChoice(k, v) for k, v in STATUS_LABELS.items()])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=500)])
