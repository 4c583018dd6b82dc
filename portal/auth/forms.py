"""Forms for sign-in, passwords and account management."""
import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import Email, EqualTo, InputRequired, Length, Optional

from portal.access import may_invite
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


def chosen_code(value) -> int | None:
    """A code picked from the list of communes, or None for anything that is not one."""
    text = str(value) if value is not None else ""
    return int(text) if re.fullmatch("[0-9]{1,9}", text) else None


class ScopeForm(FlaskForm):
    """Role and province/commune: the choices the actor may give are filled in by `offer_scopes`.

    The commune is typed by name; when several communes answer to it, the view fills `commune_code`
    with them and the person picks one (no code is ever typed).
    """

    # The least powerful role comes first, so that a hurried invitation never grants more than it should.
    role = SelectField(_l("Role"), choices=[SelectChoice(role, ROLE_LABELS[role]) for role in reversed(ROLES)])
    province_code = SelectField(_l("Province"), coerce=int, validators=[Optional()])
    commune_name = StringField(
        _l("Commune"),
        validators=[Optional(), Length(max=120)],
        description=_l("Only for commune administrators. Type the commune's name, with or without diacritics "
                       "(\"Dien Chau\" finds \"Xã Diễn Châu\")."),
    )
    # Checked by the service against the communes that answer to the name; anything else counts as no choice.
    commune_code = SelectField(_l("Which commune?"), coerce=chosen_code, choices=[], validate_choice=False,
                               validators=[Optional()])

    def offer_scopes(self, actor, provinces) -> None:
        """Only the roles and provinces this actor may hand out (a coordinator: their own province)."""
        if actor.role != "admin":
            self.role.choices = [c for c in self.role.choices if may_invite(actor, c.value, actor.province_code)]
            self.province_code.choices = [SelectChoice(p.code, p.name) for p in provinces]
        else:
            self.province_code.choices = [SelectChoice(0, _l("— none —"))] + [
                SelectChoice(p.code, p.name) for p in provinces]

    def offer_communes(self, communes) -> None:
        """The communes that answer to the typed name, for the person to pick one."""
        self.commune_code.choices = [SelectChoice("", _l("— choose one —"))] + [
            SelectChoice(c.code, f"{c.name} — {c.province.name}") for c in communes]


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


class InvitationProvinceForm(FlaskForm):
    """The province whose registered contacts an admin looks at or invites (GET and POST alike)."""

    class Meta:
        csrf = False  # the POST is covered by the app-wide CSRF check

    province_code = SelectField(_l("Province"), coerce=int, validators=[InputRequired(_l("Choose a province."))])
