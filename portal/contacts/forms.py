"""Forms of the focal-contact pages."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    EmailField,
    Form,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Email, InputRequired, Length, Optional

from portal.units.forms import commune_kind_choices
from portal.util.forms import ConfirmForm, IntegerField
from portal.util.validators import CitizenId, VietnamesePhone

KIND_LABELS = {"department": _l("Department cadres"), "commune": _l("Commune system administrators")}
STATUS_LABELS = {"missing": _l("Not registered"), "registered": _l("Registered"), "late": _l("Registered late")}


class PersonForm(Form):
    """A seat's entry; on its own page it is a ContactForm, on a Sở's page one of two, each with its prefix."""

    full_name = StringField(_l("Full name"), validators=[InputRequired(_l("Enter the full name.")), Length(max=200)])
    position = StringField(_l("Position"), validators=[Optional(), Length(max=200)])
    unit_name = StringField(_l("Unit (office or division)"), validators=[Optional(), Length(max=200)])
    phone = StringField(
        _l("Mobile phone"),
        validators=[InputRequired(_l("Enter a phone number.")), Length(max=30), VietnamesePhone()],
        description=_l("10 digits, e.g. 0912 345 678; a landline with its area code is accepted."),
    )
    email = EmailField(
        _l("E-mail"),
        validators=[InputRequired(_l("Enter an e-mail address.")), Email(_l("Enter a valid e-mail address.")),
                    Length(max=254)],
    )
    cccd = StringField(
        _l("CCCD number (optional)"),
        validators=[Optional(), Length(max=20), CitizenId()],
        description=_l("Only needed later for an account request. 12 digits. Leave empty to keep the stored number."),
    )
    is_replacement = BooleanField(_l("This is a different person who replaces the previous one"))
    accept_notice = BooleanField(
        _l("The person has been told about this notice and agrees"),
        validators=[InputRequired(_l("The person's agreement to the notice is needed."))],
    )
    version = HiddenField()

    def expected_version(self) -> int | None:
        return int(self.version.data) if (self.version.data or "").isdigit() else None


class ContactForm(FlaskForm, PersonForm):
    """One seat's entry, with its CSRF token."""


class SaveForm(FlaskForm):
    """The CSRF token of a page whose fields live in subforms (a Sở's two cadres)."""


class RemoveForm(ConfirmForm):
    """The removal confirmed on its own page, against the version of the entry that page showed."""

    version = IntegerField(validators=[InputRequired()])


class RevealCccdForm(FlaskForm):
    reason = StringField(_l("Reason for viewing the full number"),
                         validators=[InputRequired(_l("Say why you need the full number.")), Length(min=5, max=300)])


class DutiesForm(FlaskForm):
    department = TextAreaField(_l("Duties of a department cadre"),
                               validators=[InputRequired(_l("Write the duties.")), Length(max=4000)])
    commune = TextAreaField(_l("Duties of a commune system administrator"),
                            validators=[InputRequired(_l("Write the duties.")), Length(max=4000)])


class ImportForm(FlaskForm):
    file = FileField(
        _l("Filled-in form (.xlsx or .csv)"),
        validators=[FileRequired(_l("Choose a file.")), FileAllowed(["xlsx", "csv"], _l("Upload an .xlsx or .csv file."))],
    )
    kind = SelectField(_l("Sheet"), choices=[SelectChoice(k, v) for k, v in KIND_LABELS.items()], default="commune")
    province_code = SelectField(_l("Province"), coerce=int)
    accept_notice = BooleanField(
        _l("Everyone on the list has been told about this notice and agrees"),
        validators=[InputRequired(_l("The agreement of everyone on the list to the notice is needed."))],
    )

    def set_province_choices(self, provinces) -> None:
        self.province_code.choices = [SelectChoice(p.code, p.name) for p in provinces]


class ProgressFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Province"), validators=[Optional(), Length(max=100)])
    kind = SelectField(_l("Commune kind"), validators=[Optional()], choices=commune_kind_choices())
    sort = HiddenField(default="code")
    order = HiddenField(default="asc")


class CommuneFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Name"), validators=[Optional(), Length(max=100)])
    kind = SelectField(_l("Kind"), validators=[Optional()], choices=commune_kind_choices())
    status = SelectField(_l("Status"), validators=[Optional()],
                         choices=[SelectChoice("", _l("All"))] + [SelectChoice(k, v) for k, v in STATUS_LABELS.items()])
