"""The correction form of one's own contact entry (the contacts domain's clean_person holds the rules), and the
forms of requests about one's data."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import Email, InputRequired, Length, Optional, ValidationError

from portal.privacy.requests import KIND_LABELS
from portal.util.validators import phone_as_typed


class CorrectionForm(FlaskForm):
    full_name = StringField(_l("Full name"), validators=[Length(max=200)])
    phone = StringField(_l("Phone"), validators=[Length(max=30)])


class OwnRequestForm(FlaskForm):
    """A signed-in person's request about their own data."""

    kind = SelectField(_l("What do you ask for?"), choices=[SelectChoice(key, label) for key, label in KIND_LABELS.items()],
                       validators=[InputRequired(_l("Choose what you ask for."))])
    detail = TextAreaField(_l("Details (optional)"), validators=[Length(max=2000)],
                           description=_l("Which data, and why, if you wish to say."))


class PublicRequestForm(OwnRequestForm):
    """The same request from someone without an account: the e-mail or phone their coordinator registered."""

    email = EmailField(_l("E-mail"), validators=[Optional(), Email(_l("Enter a valid e-mail address.")),
                                                 Length(max=254)])
    phone = StringField(_l("Phone"), validators=[Length(max=30)])

    def validate_phone(self, field):
        if field.data and not phone_as_typed(field.data):
            raise ValidationError(_l("Enter a Vietnamese phone number: a 10-digit mobile (0912 345 678) or a landline with its area code."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not (self.email.data or "").strip() and not (self.phone.data or "").strip():
            self.email.errors = [*self.email.errors, _l("Enter the e-mail address or the phone number on record.")]
            return False
        return valid


class AnswerForm(FlaskForm):
    """An admin's answer when completing or refusing a request; the person receives it."""

    answer = TextAreaField(_l("Answer to the person"), validators=[Length(max=1000)])
