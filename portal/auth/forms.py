"""Forms for sign-in, passwords and account management."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, IntegerField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import Email, EqualTo, InputRequired, Length, NumberRange, Optional

from portal.auth.models import ROLES

ROLE_LABELS = {
    "admin": _l("Ministry administrator"),
    "coordinator": _l("Province coordinator"),
    "commune_admin": _l("Commune system administrator"),
    "trainer": _l("Trainer"),
    "agent": _l("Support agent"),
    "viewer": _l("Viewer (read only)"),
}


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[InputRequired(_l("Enter your e-mail address.")), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[InputRequired(_l("Enter your password.")), Length(max=200)])


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[InputRequired(_l("Enter your e-mail address.")), Length(max=254)])


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"), validators=[InputRequired(_l("Enter a new password.")), Length(max=200)]
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[InputRequired(_l("Repeat the new password.")), EqualTo("password", _l("The passwords differ."))],
    )


class ChangePasswordForm(SetPasswordForm):
    current_password = PasswordField(
        _l("Current password"), validators=[InputRequired(_l("Enter your current password.")), Length(max=200)]
    )


class ScopeForm(FlaskForm):
    """Role and province/commune: the province list is filled in by the view's caller."""

    # The least powerful role comes first, so that a hurried invitation never grants more than it should.
    role = SelectField(_l("Role"), choices=[SelectChoice(role, ROLE_LABELS[role]) for role in reversed(ROLES)])
    province_code = SelectField(_l("Province"), coerce=int, validators=[Optional()])
    commune_code = IntegerField(
        _l("Commune code"),
        validators=[Optional(), NumberRange(min=1, max=99999, message=_l("Enter the official commune code."))],
        description=_l("The official code, shown on the province page. Only for commune administrators."),
    )

    def set_province_choices(self, provinces) -> None:
        self.province_code.choices = [SelectChoice(0, _l("— none —"))] + [SelectChoice(p.code, p.name) for p in provinces]


class InviteForm(ScopeForm):
    email = EmailField(
        _l("E-mail"),
        validators=[InputRequired(_l("Enter an e-mail address.")), Email(_l("Enter a valid e-mail address.")),
                    Length(max=254)],
    )
    full_name = StringField(_l("Full name"), validators=[Optional(), Length(max=200)])


class UserFilterForm(FlaskForm):
    """The filters above the user list (GET, so no CSRF token)."""

    class Meta:
        csrf = False

    q = StringField(_l("Name or e-mail"), validators=[Optional(), Length(max=100)])
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice("", _l("All roles"))] + [SelectChoice(r, ROLE_LABELS[r]) for r in ROLES],
        validators=[Optional()],
    )
