"""Form helpers shared by the domains."""
import re
import secrets

import wtforms
from flask import request
from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import AnyOf, InputRequired

from portal.core.errors import DomainError
from portal.util.query import MAX_INTEGER

SUBMISSION_TOKEN_LENGTH = 43  # secrets.token_urlsafe(32)
SUBMISSION_TOKEN = re.compile(f"[A-Za-z0-9_-]{{16,{SUBMISSION_TOKEN_LENGTH}}}")


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


def new_submission_token() -> str:
    return secrets.token_urlsafe(32)


class SubmissionTokenField(HiddenField):
    """A random token rendered with a creating form and sent back with it: one token, one created row.

    A double click or a retry after a timeout sends the same token again, and the service answers with the row
    the first one created. A missing or malformed token (a page from before this field) reads as None: no guard,
    and no error about a field nobody can see.
    """

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, default=new_submission_token, **kwargs)

    def process_formdata(self, valuelist):
        value = valuelist[0] if valuelist else ""
        self.data = value if SUBMISSION_TOKEN.fullmatch(value) else None


def form_integer(name: str, minimum: int = 1) -> int | None:
    """A posted id or column number, or None when it is missing, not a number or beyond what the database holds."""
    value = (request.form.get(name) or "").strip()
    if not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if minimum <= number <= MAX_INTEGER else None


def form_integers(name: str) -> list[int]:
    """The posted ids of a list of checkboxes, each once, in the form's order; hostile values are left out."""
    numbers = (int(v) for v in request.form.getlist(name) if v.isascii() and v.isdigit() and len(v) <= 10)
    return list(dict.fromkeys(n for n in numbers if 1 <= n <= MAX_INTEGER))


# WTForms' own message for a bad integer: translated in the `wtforms` catalogue, not in the portal's.
NOT_AN_INTEGER = "Not a valid integer value."


class IntegerField(wtforms.IntegerField):
    """WTForms' IntegerField for ASCII digits of a sane length only.

    `int()` takes Arabic-Indic digits and numbers of thousands of digits, on which NumberRange overflows
    (`math.isnan` of a huge int) and the request fails; both are answered as "Not a valid integer value." instead.
    """

    def process_formdata(self, valuelist):
        if valuelist and valuelist[0] not in (None, "") and not re.fullmatch(r"\s*-?[0-9]{1,18}\s*", str(valuelist[0])):
            self.data = None
            raise ValueError(self.gettext(NOT_AN_INTEGER))
        super().process_formdata(valuelist)
