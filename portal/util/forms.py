"""Form helpers shared by the domains."""
from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import AnyOf, InputRequired

from portal.core.errors import DomainError


class ConfirmForm(FlaskForm):
    """The form of a confirmation page: a destructive POST without its `confirmed` field is refused, so a stale
    page, a bookmarked action or a hand-made request cannot destroy anything without the page naming it first."""

    # InputRequired looks at what was sent: the default only fills the page's own form.
    confirmed = HiddenField(default="yes", validators=[InputRequired(), AnyOf(["yes"])])


def add_domain_error(form: FlaskForm, error: DomainError) -> None:
    """Show a service's refusal next to the field it names, or above the form when it names none."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = list(field.errors) + [str(error.message)]
    else:
        form.form_errors.append(str(error.message))
